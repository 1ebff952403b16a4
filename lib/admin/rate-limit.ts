/**
 * Sliding-minute counters in memory, per key. Pure. Each app instance counts its own
 * (see the README: with N instances a client gets at most N × the limit; a shared limit
 * would need a shared store, Redis, which multi-node LiveKit already runs).
 *
 * No counter is global: one client's failures or requests never refuse another client.
 * Client keys come from lib/net/client-address.ts, which a client cannot choose.
 */
export interface LimitVerdict {
  blocked: boolean;
  /** whole seconds until the oldest counted event leaves the window */
  retryAfterS: number;
}

export class WindowCounter {
  private readonly byKey = new Map<string, number[]>();

  constructor(private readonly opts: { max: number; windowMs: number; maxKeys?: number }) {}

  private recent(list: number[] | undefined, now: number): number[] {
    return (list ?? []).filter((t) => now - t < this.opts.windowMs);
  }

  /** Is this key at the limit right now? */
  check(key: string, now = Date.now()): LimitVerdict {
    const mine = this.recent(this.byKey.get(key), now);
    if (mine.length < this.opts.max) return { blocked: false, retryAfterS: 0 };
    const until = mine[mine.length - this.opts.max]! + this.opts.windowMs;
    return { blocked: true, retryAfterS: Math.max(1, Math.ceil((until - now) / 1000)) };
  }

  /** Count one event. */
  add(key: string, now = Date.now()): void {
    const mine = this.recent(this.byKey.get(key), now);
    mine.push(now);
    // Only the newest `max` matter for the verdict.
    if (mine.length > this.opts.max) mine.splice(0, mine.length - this.opts.max);
    this.byKey.delete(key);
    this.byKey.set(key, mine);
    // Bound memory against many keys: drop keys with nothing recent, then the stalest.
    const maxKeys = this.opts.maxKeys ?? 10_000;
    if (this.byKey.size > maxKeys) {
      for (const [k, v] of this.byKey) if (this.recent(v, now).length === 0) this.byKey.delete(k);
      while (this.byKey.size > maxKeys) this.byKey.delete(this.byKey.keys().next().value!);
    }
  }

  /** Count one event unless the key is at the limit; the verdict says which. */
  take(key: string, now = Date.now()): LimitVerdict {
    const v = this.check(key, now);
    if (!v.blocked) this.add(key, now);
    return v;
  }

  clear(key: string): void {
    this.byKey.delete(key);
  }

  get size(): number {
    return this.byKey.size;
  }
}

/** Failed admin sign-ins per client: `max` within `windowMs`, then 429 for that client only. */
export class FailureLimiter {
  private readonly counter: WindowCounter;

  constructor(opts: { max: number; windowMs: number; maxClients?: number } = { max: 5, windowMs: 60_000 }) {
    this.counter = new WindowCounter({ max: opts.max, windowMs: opts.windowMs, maxKeys: opts.maxClients ?? 10_000 });
  }

  /** Is this client over the limit right now? */
  check(client: string, now = Date.now()): LimitVerdict {
    return this.counter.check(client, now);
  }

  /** Count one failed attempt. */
  fail(client: string, now = Date.now()): void {
    this.counter.add(client, now);
  }

  /** A correct password from a client that is not blocked clears its failures. */
  succeed(client: string): void {
    this.counter.clear(client);
  }

  get clients(): number {
    return this.counter.size;
  }
}
