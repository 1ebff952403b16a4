/**
 * Failed admin sign-ins, counted per client in a sliding minute. Pure and in memory:
 * each app instance counts its own (see the README: with N instances an attacker gets
 * at most N × the limit, and a global cap per instance bounds forged client addresses).
 */
export interface LimitVerdict {
  blocked: boolean;
  /** whole seconds until the oldest counted failure leaves the window */
  retryAfterS: number;
}

export class FailureLimiter {
  private readonly byClient = new Map<string, number[]>();
  private global: number[] = [];

  constructor(
    private readonly opts: { max: number; windowMs: number; globalMax: number; maxClients?: number } = {
      max: 5,
      windowMs: 60_000,
      globalMax: 100,
    },
  ) {}

  private recent(list: number[] | undefined, now: number): number[] {
    return (list ?? []).filter((t) => now - t < this.opts.windowMs);
  }

  /** Is this client (or everyone) over the limit right now? */
  check(client: string, now = Date.now()): LimitVerdict {
    const mine = this.recent(this.byClient.get(client), now);
    this.global = this.recent(this.global, now);
    const over = (list: number[], max: number) => (list.length >= max ? list[list.length - max]! : null);
    const oldest = [over(mine, this.opts.max), over(this.global, this.opts.globalMax)].filter((t): t is number => t !== null);
    if (oldest.length === 0) return { blocked: false, retryAfterS: 0 };
    const until = Math.max(...oldest.map((t) => t + this.opts.windowMs));
    return { blocked: true, retryAfterS: Math.max(1, Math.ceil((until - now) / 1000)) };
  }

  /** Count one failed attempt. */
  fail(client: string, now = Date.now()): void {
    const mine = this.recent(this.byClient.get(client), now);
    mine.push(now);
    this.byClient.set(client, mine);
    this.global.push(now);
    // Bound memory against many forged addresses: drop clients with nothing recent.
    if (this.byClient.size > (this.opts.maxClients ?? 10_000)) {
      for (const [k, v] of this.byClient) if (this.recent(v, now).length === 0) this.byClient.delete(k);
      if (this.byClient.size > (this.opts.maxClients ?? 10_000)) this.byClient.delete(this.byClient.keys().next().value!);
    }
  }

  /** A correct password from a client that is not blocked clears its failures. */
  succeed(client: string): void {
    this.byClient.delete(client);
  }
}
