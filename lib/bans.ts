/**
 * Browsers an admin removed, refused a new token for REMOVE_BAN_MINUTES. Keyed by the
 * browser's public id (lib/identity.ts), which both its participant and its viewer
 * identities carry. Pure and in memory.
 *
 * Why memory and not LiveKit: the room metadata is the only store LiveKit shares, and
 * it is (1) sent to every participant, (2) rewritten by the director's own
 * read-modify-write, which can drop a key written meanwhile, and (3) gone 30 s after
 * the room empties, which is exactly when a removed person would come back. So each
 * app instance remembers the removals it made; with several instances (Vercel) a
 * removed browser could get a token from another one, and a shared ban needs Redis.
 * A ban is a speed bump either way: a new browser profile is a new browser.
 */
export class BanList {
  private readonly until = new Map<string, number>();

  constructor(private readonly maxEntries = 10_000) {}

  ban(publicId: string, ms: number, now = Date.now()): number {
    const end = now + ms;
    this.until.delete(publicId);
    this.until.set(publicId, Math.max(end, this.until.get(publicId) ?? 0));
    for (const [k, t] of this.until) if (t <= now) this.until.delete(k);
    while (this.until.size > this.maxEntries) this.until.delete(this.until.keys().next().value!);
    return end;
  }

  /** Seconds until the ban ends, or 0 when not banned. */
  bannedForS(publicId: string, now = Date.now()): number {
    const t = this.until.get(publicId);
    if (t === undefined) return 0;
    if (t <= now) {
      this.until.delete(publicId);
      return 0;
    }
    return Math.max(1, Math.ceil((t - now) / 1000));
  }
}
