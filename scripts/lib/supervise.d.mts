export interface Backoff {
  initialMs: number;
  maxMs: number;
  resetAfterMs: number;
}
export interface ChildLike {
  once(event: "exit", fn: (code: number | null, signal: NodeJS.Signals | null) => void): unknown;
  once(event: "error", fn: (err: Error) => void): unknown;
}
export const DEFAULT_BACKOFF: Backoff;
export function backoffDelay(attempt: number, backoff?: Pick<Backoff, "initialMs" | "maxMs">): number;
export interface Supervisor<C> {
  readonly child: C | null;
  readonly restarts: number;
  stop(): C | null;
}
export function supervise<C extends ChildLike>(o: {
  name: string;
  start: () => C;
  child?: C | null;
  onStart?: (child: C) => void;
  onExit?: (child: C) => void;
  log?: (line: string) => void;
  backoff?: Backoff;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (t: never) => void;
}): Supervisor<C>;
