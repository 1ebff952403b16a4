// @ts-check
// Keeps one child process running: when it exits on its own, start it again after a
// backoff (0.5 s, 1 s, 2 s, … up to 10 s; back to 0.5 s once a run lasted 30 s), with
// one log line per restart. `npm start` supervises livekit-server, the app and the
// director with it, so one crash never takes the others down.
//
// Pure apart from what it is given: `start()` makes a child (anything that emits
// "exit" once with (code, signal)), and the clock (`now`, `setTimer`, `clearTimer`)
// can be a fake one, which is how tests/unit/supervise.test.ts drives it.

/**
 * @typedef {{ initialMs: number; maxMs: number; resetAfterMs: number }} Backoff
 * @typedef {{
 *   once(event: "exit", fn: (code: number | null, signal: NodeJS.Signals | null) => void): unknown;
 *   once(event: "error", fn: (err: Error) => void): unknown;
 *   startedAt?: number;
 * }} ChildLike
 */
/**
 * @template {ChildLike} C
 * @typedef {{ readonly child: C | null; readonly restarts: number; stop(): C | null }} Supervisor
 */

/** @type {Backoff} */
export const DEFAULT_BACKOFF = { initialMs: 500, maxMs: 10_000, resetAfterMs: 30_000 };

/**
 * The delay before restart number `attempt` (0-based).
 * @param {number} attempt
 * @param {Pick<Backoff, "initialMs" | "maxMs">} [backoff]
 */
export function backoffDelay(attempt, { initialMs, maxMs } = DEFAULT_BACKOFF) {
  return Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
}

/**
 * @param {number | null} code
 * @param {NodeJS.Signals | null} signal
 */
function describeExit(code, signal) {
  if (signal) return `killed by ${signal}`;
  return `exited with code ${code}`;
}

/**
 * @template {ChildLike} C
 * @param {object} o
 * @param {string} o.name            shown in the log line
 * @param {() => C} o.start          spawns the child; may throw (counted as a crash)
 * @param {C | null} [o.child]       an already running child to watch first
 * @param {(child: C) => void} [o.onStart]  called with each new child
 * @param {(child: C) => void} [o.onExit]   called when a child has exited (e.g. to reap its group)
 * @param {(line: string) => void} [o.log]
 * @param {Backoff} [o.backoff]
 * @param {() => number} [o.now]
 * @param {(fn: () => void, ms: number) => unknown} [o.setTimer]
 * @param {(timer: never) => void} [o.clearTimer]  given what setTimer returned
 * @returns {Supervisor<C>}
 */
export function supervise({
  name,
  start,
  child: initial = null,
  onStart = () => undefined,
  onExit = () => undefined,
  log = (line) => console.log(line),
  backoff = DEFAULT_BACKOFF,
  now = Date.now,
  setTimer = setTimeout,
  clearTimer = clearTimeout,
}) {
  /** @type {C | null} */
  let current = null;
  let startedAt = 0;
  let attempt = 0;
  let restarts = 0;
  /** @type {unknown} */
  let timer = null;
  let stopped = false;

  /** @param {string} why */
  const crashed = (why) => {
    if (stopped) return;
    const ranMs = now() - startedAt;
    if (ranMs >= backoff.resetAfterMs) attempt = 0;
    const delay = backoffDelay(attempt, backoff);
    attempt++;
    log(`${name} ${why} after ${(ranMs / 1000).toFixed(1)} s; restarting it in ${(delay / 1000).toFixed(1)} s (restart ${restarts + 1})`);
    timer = setTimer(() => {
      timer = null;
      if (stopped) return;
      restarts++;
      launch(null);
    }, delay);
  };

  /** @param {C} c */
  const watch = (c, since = now()) => {
    current = c;
    startedAt = since;
    let seen = false;
    c.once("exit", (code, signal) => {
      if (seen) return;
      seen = true;
      onExit(c);
      if (current === c) crashed(describeExit(code, signal));
    });
    // A spawn that fails (ENOENT, EACCES) emits "error" and maybe no "exit".
    c.once("error", (err) => {
      if (seen) return;
      seen = true;
      if (current === c) crashed(`failed to start (${err?.message ?? err})`);
    });
  };

  /** @param {C | null} given */
  const launch = (given) => {
    let c = given;
    if (!c) {
      try {
        c = start();
      } catch (err) {
        startedAt = now();
        crashed(`failed to start (${err instanceof Error ? err.message : err})`);
        return;
      }
      onStart(c);
      watch(c);
      return;
    }
    // A child started before supervision began: its run counts from its own start
    // (spawnService stamps `startedAt`).
    watch(c, typeof c.startedAt === "number" ? c.startedAt : now());
  };

  launch(initial);

  return {
    get child() {
      return current;
    },
    get restarts() {
      return restarts;
    },
    /** Stop restarting; the caller stops the current child (it is returned). */
    stop() {
      stopped = true;
      if (timer) clearTimer(/** @type {never} */ (timer));
      timer = null;
      return current;
    },
  };
}
