// Opaque ids for the records the services create: a prefix that says what it names (bkg_, pay_,
// usr_...) and 128 random bits, so nothing about an id can be guessed from another.
import { randomUUID } from "node:crypto";

export const newId = (prefix: string): string => `${prefix}_${randomUUID().replaceAll("-", "")}`;
