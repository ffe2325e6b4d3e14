// Parameter schemas (fastest-validator) shared by more than one service, so an id is
// validated the same way wherever it enters.

export const idParam = { type: "string", min: 1, max: 100 } as const;

/** A hold id carries its show's id (see ids.ts), so it may be longer than other ids. */
export const holdIdParam = { type: "string", min: 1, max: 160 } as const;

/** A booking id carries its show's id too. */
export const bookingIdParam = holdIdParam;

