// Keeps one child process running: when it exits on its own, start it again after a
// backoff (0.5 s, 1 s, 2 s, … up to 10 s; back to 0.5 s once a run lasted 30 s), with
// one log line per restart. `npm start` supervises livekit-server, the app and the
// director with it, so one crash never takes the others down.
//
// Pure apart from what it is given: `start()` makes a child (anything that emits
// "exit" once with (code, signal)), and the clock (`now`, `setTimer`, `clearTimer`)
// can be a fake one, which is how tests/unit/supervise.test.ts drives it.

export const DEFAULT_BACKOFF = { initialMs: 500, maxMs: 10_000, resetAfterMs: 30_000 };

/** The delay before restart number `attempt` (0-based). */
export function backoffDelay(attempt, { initialMs, maxMs } = DEFAULT_BACKOFF) {
  return Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
}

function describeExit(code, signal) {
  if (signal) return `killed by ${signal}`;
  return `exited with code ${code}`;
}

/**
 * @param {object} o
 * @param {string} o.name            shown in the log line
 * @param {() => any} o.start        spawns the child; may throw (counted as a crash)
 * @param {any} [o.child]            an already running child to watch first
 * @param {(child: any) => void} [o.onStart]  called with each new child
 * @param {(child: any) => void} [o.onExit]   called when a child has exited (e.g. to reap its group)
 * @param {(line: string) => void} [o.log]
 * @param {typeof DEFAULT_BACKOFF} [o.backoff]
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
  let current = null;
  let startedAt = 0;
  let attempt = 0;
  let restarts = 0;
  let timer = null;
  let stopped = false;

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

  const launch = (given) => {
    let c = given;
    if (!c) {
      try {
        c = start();
      } catch (err) {
        startedAt = now();
        crashed(`failed to start (${err?.message ?? err})`);
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
      if (timer) clearTimer(timer);
      timer = null;
      return current;
    },
  };
}
