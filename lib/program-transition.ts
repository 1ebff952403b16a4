/**
 * How /viewer and /egress change from one picture to the next (PROGRAM_TRANSITION):
 * `cut`, at once, or `dissolve`, a DISSOLVE_MS cross-fade. Either waits for the incoming
 * picture's first frame, so neither shows a blank frame. Pure and client-safe: lib/env.ts
 * validates the setting with this list, and the pages get the value as a prop.
 */
export const PROGRAM_TRANSITIONS = ["cut", "dissolve"] as const;
export type ProgramTransition = (typeof PROGRAM_TRANSITIONS)[number];

/** A dissolve's length: long enough to read as a mix, short enough not to lag the talk. */
export const DISSOLVE_MS = 300;

/** The cross-fade as an inline style: linear, and only on the incoming layer, which fades in over a whole outgoing one. */
export const DISSOLVE_STYLE = { transition: `opacity ${DISSOLVE_MS}ms linear` } as const;
