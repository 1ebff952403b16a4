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

/**
 * An admin's take: cut once, now, to `id`. Unlike a pin the policy then carries on by
 * itself (its dwell counts from the take). A take of someone unknown is ignored. The
 * mixer (mixer.ts) also takes wide shots; a policy only ever sees speaker takes.
 */
export interface TakeObservation {
  type: "take";
  t: number;
  id: ParticipantId;
}

/** What a director role asks of the policy: `favor` biases it towards that participant. */
export type DirectorRoleName = "favor" | "never";

/**
 * The channel's director roles, the whole set each time (absent = auto). Policies read
 * `favor`; `never` is enforced by the mixer, which keeps such a participant muted to the
 * policy, so a policy needs no rule for it.
 */
export interface RolesObservation {
  type: "roles";
  t: number;
  roles: Readonly<Record<ParticipantId, DirectorRoleName>>;
}

/** The channel's minimum shot length: replaces dwellMs; `ms: null` goes back to the configured one. */
export interface ShotLengthObservation {
  type: "shotLength";
  t: number;
  ms: number | null;
}

/** A wide take (an admin's W): the mixer's own observation; policies never see it. */
export interface WideObservation {
  type: "wide";
  t: number;
}

export type Observation =
  | LevelsObservation
  | JoinObservation
  | LeaveObservation
  | MuteObservation
  | PinObservation
  | SpeakersObservation
  | TakeObservation
  | RolesObservation
  | ShotLengthObservation
  | WideObservation;

/**
 * What screens show: the program participant full frame ("speaker"), or a grid of the
 * channel's cameras ("wide"). Only the mixer decides shots; a bare policy's decisions are
 * speaker shots.
 */
export type Shot = "speaker" | "wide";

export type DecisionReason =
  /** first speech on a free floor (no holder, or the holder has been quiet) */
  | "speech"
  /** a new talker out-talked the holder while the holder was still talking */
  | "takeover"
  | "holder-left"
  | "holder-muted"
  | "pin"
  | "unpin"
  /** an admin's take: a cut to someone, or to a wide shot */
  | "take"
  /** the mixer went wide: free floor, sustained crosstalk or ping-pong (evidence says which) */
  | "wide"
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
  /** The shot from this decision on; absent (a bare policy) = "speaker". Set by the mixer. */
  shot?: Shot;
}

/** The preview lane: the challenger the policy is gathering evidence for. */
export interface Preview {
  id: ParticipantId;
  /** 0..1 of the evidence a cut to them needs */
  progress: number;
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
  /**
   * Optional, for the mixer's wide rules: whether this participant talks with a voice of
   * their own now (speech evidence the policy would believe, not a phone that only hears
   * someone else's voice). Without it the mixer uses `speaking`.
   */
  talking?(id: ParticipantId): boolean;
  /**
   * Optional, for the preview lane: the challenger with the most evidence toward a cut,
   * and how far it is, or null when nobody is gathering any. Cheap (4 times a second).
   */
  preview?(): Preview | null;
}
