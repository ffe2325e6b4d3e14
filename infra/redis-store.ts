// The Store port on Redis (ioredis). Every key carries a prefix, so namespaces (and parallel
// test runs) never see each other. Each method is one round trip: a single command, or a
// MULTI/pipeline where two keys must change together.
import { Redis } from "ioredis";
import type { CounterHit, Store } from "./store.ts";

const parse = <T>(raw: string | null): T | undefined => (raw === null ? undefined : (JSON.parse(raw) as T));

export class RedisStore implements Store {
  readonly redis: Redis;
  readonly prefix: string;

  constructor(url: string, prefix: string, redis?: Redis) {
    this.redis = redis ?? new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false });
    this.prefix = prefix.endsWith(":") ? prefix : `${prefix}:`;
  }

  #doc(collection: string, id: string) { return `${this.prefix}doc:${collection}:${id}`; }
  #ids(collection: string) { return `${this.prefix}ids:${collection}`; }
  #set(name: string) { return `${this.prefix}set:${name}`; }
  #journal(name: string) { return `${this.prefix}journal:${name}`; }
  #counter(name: string) { return `${this.prefix}counter:${name}`; }

  async get<T>(collection: string, id: string): Promise<T | undefined> {
    return parse<T>(await this.redis.get(this.#doc(collection, id)));
  }

  async getMany<T>(collection: string, ids: string[]): Promise<(T | undefined)[]> {
    if (ids.length === 0) return [];
    const raws = await this.redis.mget(ids.map((id) => this.#doc(collection, id)));
    return raws.map((r) => parse<T>(r));
  }

  async put<T>(collection: string, id: string, value: T): Promise<void> {
    await this.redis.multi().set(this.#doc(collection, id), JSON.stringify(value)).sadd(this.#ids(collection), id).exec();
  }

  async putIfAbsent<T>(collection: string, id: string, value: T): Promise<boolean> {
    const written = await this.redis.set(this.#doc(collection, id), JSON.stringify(value), "NX");
    if (written !== "OK") return false;
    await this.redis.sadd(this.#ids(collection), id);
    return true;
  }

  async remove(collection: string, id: string): Promise<void> {
    await this.redis.multi().del(this.#doc(collection, id)).srem(this.#ids(collection), id).exec();
  }

  async all<T>(collection: string): Promise<T[]> {
    const ids = await this.redis.smembers(this.#ids(collection));
    return (await this.getMany<T>(collection, ids)).filter((v): v is Awaited<T> => v !== undefined) as T[];
  }

  async addToSet(set: string, member: string): Promise<void> {
    await this.redis.sadd(this.#set(set), member);
  }

  async members(set: string): Promise<string[]> {
    return this.redis.smembers(this.#set(set));
  }

  async append(journal: string, events: readonly unknown[]): Promise<number> {
    if (events.length === 0) return this.redis.llen(this.#journal(journal));
    return this.redis.rpush(this.#journal(journal), ...events.map((e) => JSON.stringify(e)));
  }

  async read<T>(journal: string, from = 0): Promise<T[]> {
    const raws = await this.redis.lrange(this.#journal(journal), from, -1);
    return raws.map((r) => JSON.parse(r) as T);
  }

  async hit(counter: string, windowMs: number): Promise<CounterHit> {
    const key = this.#counter(counter);
    // The window starts with the first hit (SET NX PX) and every hit counts in one MULTI.
    const results = await this.redis.multi().set(key, "0", "PX", windowMs, "NX").incr(key).pttl(key).exec();
    const count = Number(results?.[1]?.[1] ?? 0);
    const ttl = Number(results?.[2]?.[1] ?? windowMs);
    return { count, resetInMs: ttl > 0 ? ttl : windowMs };
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
