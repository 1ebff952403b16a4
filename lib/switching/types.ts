/**
 * The switch-policy contract. Pure: no I/O, no timers, no LiveKit imports.
 * The director (worker/) and the switching lab (lab/) both drive policies through
 * this interface, so a recorded trace replays exactly as it ran live.
 *
 * Time `t` is in milliseconds on any monotonic clock; only differences matter.
 * Levels are RFC 6464 dBov: 0 is full scale (loudest), 127 is silence.
 */

export type ParticipantId = string;

/** One 20 ms frame: the level of every participant whose microphone is live. */
export interface LevelsObservation {
  type: "levels";
  t: number;
  /** dBov 0..127 per participant; a participant missing from the map is silent. */
  levels: Readonly<Record<ParticipantId, number>>;
  /**
   * Voice-activity probability 0..1 per participant, from the director's input stage
   * (a voice model over the decoded audio). Only participants the model was run for are
   * present: a missing id means "not evaluated", never "not speech". Level-only policies
   * (the anchors, `seed`) ignore it.
   */
  speech?: Readonly<Record<ParticipantId, number>>;
}

export interface JoinObservation {
  type: "join";
  t: number;
  id: ParticipantId;
  name?: string;
}

export interface LeaveObservation {
  type: "leave";
  t: number;
  id: ParticipantId;
}

export interface MuteObservation {
  type: "mute";
  t: number;
  id: ParticipantId;
  /** true when the microphone is muted or unpublished: it counts as silence. */
  muted: boolean;
}

/** An admin pin. `id: null` unpins and hands the program back to the policy. */
export interface PinObservation {
  type: "pin";
  t: number;
  id: ParticipantId | null;
}

/** LiveKit's ActiveSpeakersChanged, loudest first. A secondary signal only. */
export interface SpeakersObservation {
  type: "speakers";
  t: number;
  ids: readonly ParticipantId[];
}

export type Observation =
  | LevelsObservation
  | JoinObservation
  | LeaveObservation
  | MuteObservation
  | PinObservation
  | SpeakersObservation;

export type DecisionReason =
  /** first speech on a free floor (no holder, or the holder has been quiet) */
  | "speech"
  /** a new talker out-talked the holder while the holder was still talking */
  | "takeover"
  | "holder-left"
  | "holder-muted"
  | "pin"
  | "unpin"
  /** the policy's own rule, for policies (anchors) that do not distinguish */
  | "rule";

export interface Decision {
  t: number;
  program: ParticipantId | null;
  previous: ParticipantId | null;
  reason: DecisionReason;
  /** The numbers that justified the decision (e.g. speech ms, margin dB). */
  evidence: Readonly<Record<string, number>>;
  /** The policy dropped its pin with this decision (the pinned participant left). */
  pinCleared?: boolean;
}

export interface SwitchPolicy {
  readonly name: string;
  /** The participant on program now, or null. */
  readonly program: ParticipantId | null;
  /** Feed one observation, in time order. Returns a decision when the program changes. */
  observe(obs: Observation): Decision | null;
  /**
   * Whether the policy counts this participant as speaking right now (the speaking dot
   * on /friends and /status). Cheap: the director asks it for every participant 4 times
   * a second.
   */
  speaking(id: ParticipantId): boolean;
}
