// The Store port on Redis (ioredis). Every key carries a prefix, so namespaces (and parallel
// test runs) never see each other. Each method is one round trip: a single command, or a
// MULTI/pipeline where two keys must change together.
import { Redis, ReplyError } from "ioredis";
import { StaleEpochError, StoreUnavailableError, type CounterHit, type Fence, type LeaseGrant, type LeaseHolder, type Retention, type Store } from "./store.ts";

// Lease values are "<epoch> <owner>"; the epoch counter lives in its own key that is never
// deleted, so a lease that lapses and is taken again always gets a larger epoch.
const SCRIPTS = {
  acquireLease: {
    numberOfKeys: 2,
    lua: `
      local v = redis.call('GET', KEYS[1])
      if v then
        local epoch, owner = string.match(v, '^(%d+) (.*)$')
        if owner == ARGV[1] then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          return {1, tonumber(epoch)}
        end
        return {0, tonumber(epoch), owner, redis.call('PTTL', KEYS[1])}
      end
      local epoch = redis.call('INCR', KEYS[2])
      redis.call('SET', KEYS[1], epoch .. ' ' .. ARGV[1], 'PX', ARGV[2])
      return {1, epoch}`,
  },
  renewLeases: {
    lua: `
      local out = {}
      for i, key in ipairs(KEYS) do
        if redis.call('GET', key) == (ARGV[2 + i] .. ' ' .. ARGV[1]) then
          redis.call('PEXPIRE', key, ARGV[2])
          out[i] = 1
        else
          out[i] = 0
        end
      end
      return out`,
  },
  releaseLease: {
    numberOfKeys: 1,
    lua: `
      if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
      return 0`,
  },
  fencedPut: {
    numberOfKeys: 3,
    lua: `
      if redis.call('GET', KEYS[3]) ~= ARGV[1] then return redis.error_reply('STALE_EPOCH') end
      redis.call('SET', KEYS[1], ARGV[2])
      return redis.call('SADD', KEYS[2], ARGV[3])`,
  },
  // The fence check and the write are one atomic step: nothing can slip between them.
  fencedAppend: {
    numberOfKeys: 2,
    lua: `
      if ARGV[1] ~= '' and redis.call('GET', KEYS[2]) ~= ARGV[1] then return redis.error_reply('STALE_EPOCH') end
      if #ARGV < 2 then return redis.call('LLEN', KEYS[1]) end
      return redis.call('RPUSH', KEYS[1], unpack(ARGV, 2))`,
  },
} as const;

interface ScriptedRedis {
  acquireLease(lease: string, epochKey: string, owner: string, ttlMs: number): Promise<[number, number, string?, number?]>;
  renewLeases(count: number, ...keysThenArgs: (string | number)[]): Promise<number[]>;
  releaseLease(lease: string, value: string): Promise<number>;
  fencedAppend(journal: string, epochKey: string, epoch: string, ...events: string[]): Promise<number>;
  fencedPut(doc: string, ids: string, epochKey: string, epoch: string, value: string, id: string): Promise<number>;
}

const parse = <T>(raw: string | null): T | undefined => (raw === null ? undefined : (JSON.parse(raw) as T));

/** The port's methods that talk to Redis; each failure to reach it becomes StoreUnavailableError. */
const GUARDED = ["get", "getMany", "put", "putIfAbsent", "remove", "all", "addToSet", "members", "append", "read", "hit", "clearCounter", "acquireLease", "renewLeases", "releaseLease", "leaseHolder", "ping"] as const;

/**
 * Redis answered and refused (a script's error, a wrong type), or our own code failed (a
 * document that is not JSON): not an outage, so not to be retried as one. Anything else is
 * the connection: refused, closed, timed out, retries exhausted.
 */
const answered = (error: unknown) =>
  error instanceof ReplyError || error instanceof StaleEpochError || error instanceof SyntaxError || error instanceof TypeError || error instanceof RangeError;

export interface RedisStoreOptions {
  /** A command unanswered this long fails (Redis paused, a network partition): see STORE_TIMEOUT_MS. */
  commandTimeoutMs?: number;
  /** Collections whose documents expire (Redis PX); they are not indexed for all(). */
  retention?: Retention;
  redis?: Redis;
}

export class RedisStore implements Store {
  readonly redis: Redis;
  readonly prefix: string;
  readonly #retention: Retention;

  constructor(url: string, prefix: string, { commandTimeoutMs = 1_500, retention = {}, redis }: RedisStoreOptions = {}) {
    this.#retention = retention;
    // An outage must fail fast, not queue requests until the 10 s request timeout: a command
    // waits at most commandTimeoutMs, and commands queued while disconnected fail at the first
    // failed reconnection instead of being retried. The offline queue stays on so commands sent
    // while the first connection is being made (at start) wait for it. ioredis keeps
    // reconnecting in the background, so the store recovers by itself when Redis is back.
    this.redis = redis ?? new Redis(url, { maxRetriesPerRequest: 0, commandTimeout: commandTimeoutMs, enableOfflineQueue: true, lazyConnect: false });
    // Without a listener ioredis prints every failed reconnection; the errors reach callers.
    this.redis.on("error", () => undefined);
    this.prefix = prefix.endsWith(":") ? prefix : `${prefix}:`;
    for (const [name, script] of Object.entries(SCRIPTS)) {
      this.redis.defineCommand(name, { lua: script.lua, ...("numberOfKeys" in script ? { numberOfKeys: script.numberOfKeys } : {}) });
    }
    // Whatever ioredis calls a failure to reach Redis (connection refused, closed, timed out,
    // retries exhausted), callers see one StoreUnavailableError.
    for (const name of GUARDED) {
      const method = this[name] as (...args: unknown[]) => Promise<unknown>;
      Object.defineProperty(this, name, {
        value: (...args: unknown[]) => method.apply(this, args).catch((error: unknown) => {
          throw answered(error) ? error : new StoreUnavailableError(error);
        }),
      });
    }
  }

  get #scripts(): ScriptedRedis {
    return this.redis as unknown as ScriptedRedis;
  }

  #doc(collection: string, id: string) { return `${this.prefix}doc:${collection}:${id}`; }
  #ids(collection: string) { return `${this.prefix}ids:${collection}`; }
  #set(name: string) { return `${this.prefix}set:${name}`; }
  #journal(name: string) { return `${this.prefix}journal:${name}`; }
  #ranked(name: string) { return `${this.prefix}ranked:${name}`; }
  #counter(name: string) { return `${this.prefix}counter:${name}`; }
  #lease(name: string) { return `${this.prefix}lease:${name}`; }
  #epoch(name: string) { return `${this.prefix}epoch:${name}`; }

  async get<T>(collection: string, id: string): Promise<T | undefined> {
    return parse<T>(await this.redis.get(this.#doc(collection, id)));
  }

  async getMany<T>(collection: string, ids: string[]): Promise<(T | undefined)[]> {
    if (ids.length === 0) return [];
    const raws = await this.redis.mget(ids.map((id) => this.#doc(collection, id)));
    return raws.map((r) => parse<T>(r));
  }

  async put<T>(collection: string, id: string, value: T, fence?: Fence): Promise<void> {
    if (fence) {
      await this.#fenced(fence, () => this.#scripts.fencedPut(this.#doc(collection, id), this.#ids(collection), this.#epoch(fence.lease), String(fence.epoch), JSON.stringify(value), id));
      return;
    }
    const retention = this.#retention[collection];
    // An expiring document stays out of the id index, which would otherwise only ever grow.
    if (retention !== undefined) await this.redis.set(this.#doc(collection, id), JSON.stringify(value), "PX", retention);
    else await this.redis.multi().set(this.#doc(collection, id), JSON.stringify(value)).sadd(this.#ids(collection), id).exec();
  }

  async #fenced<T>(fence: Fence, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (error instanceof Error && error.message.includes("STALE_EPOCH")) throw new StaleEpochError(fence.lease, fence.epoch);
      throw error;
    }
  }

  async putIfAbsent<T>(collection: string, id: string, value: T): Promise<boolean> {
    const retention = this.#retention[collection];
    const key = this.#doc(collection, id);
    const written = retention !== undefined ? await this.redis.set(key, JSON.stringify(value), "PX", retention, "NX") : await this.redis.set(key, JSON.stringify(value), "NX");
    if (written !== "OK") return false;
    if (retention === undefined) await this.redis.sadd(this.#ids(collection), id);
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
  async removeFromSet(set: string, member: string): Promise<void> {
    await this.redis.srem(this.#set(set), member);
  }


  async append(journal: string, events: readonly unknown[], fence?: Fence): Promise<number> {
    const key = this.#journal(journal);
    if (!fence) {
      if (events.length === 0) return this.redis.llen(key);
      return this.redis.rpush(key, ...events.map((e) => JSON.stringify(e)));
    }
    return this.#fenced(fence, () => this.#scripts.fencedAppend(key, this.#epoch(fence.lease), String(fence.epoch), ...events.map((e) => JSON.stringify(e))));
  }

  async addRanked(set: string, member: string, score: number): Promise<boolean> {
    return (await this.redis.zadd(this.#ranked(set), "NX", score, member)) === 1;
  }

  async rankOf(set: string, member: string): Promise<{ rank: number; score: number } | undefined> {
    // One round trip; ZRANK ... WITHSCORE needs Redis 7.2.
    const results = await this.redis.multi().zrank(this.#ranked(set), member).zscore(this.#ranked(set), member).exec();
    const rank = results?.[0]?.[1];
    const score = results?.[1]?.[1];
    return rank === null || rank === undefined || score === null || score === undefined ? undefined : { rank: Number(rank), score: Number(score) };
  }

  async countRanked(set: string): Promise<number> {
    return this.redis.zcard(this.#ranked(set));
  }

  async removeRanked(set: string, member: string): Promise<void> {
    await this.redis.zrem(this.#ranked(set), member);
  }

  async read<T>(journal: string, from = 0): Promise<T[]> {
    const raws = await this.redis.lrange(this.#journal(journal), from, -1);
    return raws.map((r) => JSON.parse(r) as T);
  }

  async hit(counter: string, windowMs: number, by = 1): Promise<CounterHit> {
    const key = this.#counter(counter);
    // The window starts with the first hit (SET NX PX) and every hit counts in one MULTI.
    const results = await this.redis.multi().set(key, "0", "PX", windowMs, "NX").incrby(key, by).pttl(key).exec();
    const count = Number(results?.[1]?.[1] ?? 0);
    const ttl = Number(results?.[2]?.[1] ?? windowMs);
    return { count, resetInMs: ttl > 0 ? ttl : windowMs };
  }

  async clearCounter(counter: string): Promise<void> {
    await this.redis.del(this.#counter(counter));
  }

  async acquireLease(lease: string, owner: string, ttlMs: number): Promise<LeaseGrant> {
    const [granted, epoch, holder, remainingMs] = await this.#scripts.acquireLease(this.#lease(lease), this.#epoch(lease), owner, ttlMs);
    return granted === 1 ? { granted: true, epoch: Number(epoch) } : { granted: false, owner: String(holder), epoch: Number(epoch), remainingMs: Math.max(0, Number(remainingMs)) };
  }

  async renewLeases(leases: readonly Fence[], owner: string, ttlMs: number): Promise<boolean[]> {
    if (leases.length === 0) return [];
    const renewed = await this.#scripts.renewLeases(leases.length, ...leases.map((l) => this.#lease(l.lease)), owner, ttlMs, ...leases.map((l) => l.epoch));
    return renewed.map((r) => r === 1);
  }

  async releaseLease({ lease, epoch }: Fence, owner: string): Promise<void> {
    await this.#scripts.releaseLease(this.#lease(lease), `${epoch} ${owner}`);
  }

  async leaseHolder(lease: string): Promise<LeaseHolder | undefined> {
    const [value, ttl] = await Promise.all([this.redis.get(this.#lease(lease)), this.redis.pttl(this.#lease(lease))]);
    const match = value ? /^(\d+) (.*)$/s.exec(value) : null;
    return match ? { owner: match[2]!, epoch: Number(match[1]), remainingMs: Math.max(0, ttl) } : undefined;
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
