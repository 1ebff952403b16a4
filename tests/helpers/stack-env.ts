/** The stack `npm test` started (scripts/test.mjs), as the tests see it. */
export interface StackEnv {
  appUrl: string;
  livekitUrl: string;
  controlUrl: string;
}

export function stackEnv(): StackEnv {
  const appUrl = process.env.CC_APP_URL;
  const livekitUrl = process.env.CC_LIVEKIT_URL;
  const controlUrl = process.env.CC_CONTROL_URL;
  if (!appUrl || !livekitUrl || !controlUrl) {
    throw new Error("integration tests run inside `npm test`, which starts the stack and sets CC_APP_URL/CC_LIVEKIT_URL");
  }
  return { appUrl, livekitUrl, controlUrl };
}

/** Poll `fn` until it returns a truthy value; a bounded wait on an observable condition. */
export async function until<T>(fn: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 15000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
