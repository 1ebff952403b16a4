/**
 * "evidence" (formerly "ours"; this file keeps the old name): the director's switch policy.
 *
 * Signal model, per participant, on every 20 ms `levels` frame:
 *  - loudness x = -dBov (0 loudest, -127 silence);
 *  - a noise floor that follows x down fast (a pause reveals the room), creeps up slowly
 *    (speech is not absorbed into it) and jumps up when x has stayed above it, and steady
 *    within floorSteadyDb, for a whole window (a fan switched on). Activity is measured
 *    above that floor, so a phone beside a fan and a quiet talker in a quiet room are
 *    judged alike. The floor starts at a participant's first audible level;
 *  - a frame is "voiced" when x is voicedAboveFloorDb above the floor and louder than the
 *    absolute gate (so digital silence and hiss never count, whatever the floor says);
 *  - speech evidence = voiced milliseconds within a short sliding window. Counting within a
 *    window (instead of requiring uninterrupted loudness) tolerates the dips between
 *    syllables, so real speech reaches minSpeechMs only a little after minSpeechMs, while
 *    clicks, coughs and doors (< 150 ms, and sparse) never accumulate that much;
 *  - a talk spurt = voiced frames separated only by gaps up to dipToleranceMs;
 *  - activity = dB above floor, peak-following (instant up, activityTauMs down), used to
 *    rank and compare talkers by how loud they speak rather than how often they pause;
 *  - sustain = voiced ms of the talk spurt that held or swelled rather than decayed. A
 *    cough, door or clap attacks in one frame and then decays frame by frame; speech holds
 *    its vowels and swells into syllables. A speech or takeover switch needs minSustainMs
 *    of it, or a spurt of syllableBypassMs (one long vowel);
 *  - with the voice model: a cut needs the model's speech evidence (modelMinVoiceMs, over
 *    modelCoverage of the voiced time) and a talk whose level has risen by minTalkDepthDb
 *    from a quieter moment of it (into a syllable from a consonant or a gap; a chord or a
 *    held note stays within a few dB while the model calls its opening speech, and a
 *    laugh's first burst only decays); a talk that fell silent (pulseDepthDb under its
 *    level) for pulseGapMs between voiced frames, as a laugh does between its bursts, also
 *    needs one unbroken voiced run of pulsedRunMs;
 *  - co-location, two ways: the level difference to the holder (slow, for takeovers) and
 *    to the frame's loudest voiced participant, the "leader" (averaged cumulatively, so a
 *    free-floor competition knows within colocatedMinMs). Phones hearing one voice compare
 *    by peak-followed ABSOLUTE level: their floors say nothing about who is nearer.
 *
 * Rules, in order of precedence:
 *  1. pin: the pinned participant is on program until unpinned; levels are still tracked.
 *     Unpin hands back to the most active current talker (speech evidence and voiced
 *     within holdHangMs; the pinned one may be it), else keeps the pinned one on program,
 *     so silence after an unpin changes nothing.
 *  2. holder leaves / mutes: move on at once (no dwell) to the best current talker, else
 *     the most recent speaker still present and unmuted, else null on a leave; on a mute
 *     with nobody else the muted holder stays (they are still there, and no longer hold
 *     the floor, so the next talker switches at once). The pinned participant
 *     leaving clears the pin; the pinned participant muting does not (an admin choice).
 *  3. free floor (no holder, or the holder has been silent for holdHangMs): an open
 *     competition. When anyone's evidence reaches minSpeechMs, the most active of the
 *     participants with at least half that evidence wins: if that is the holder, they
 *     hold the floor again; otherwise the program switches (reason "speech"). So the
 *     nearer of two co-located phones wins (by absolute level when one follows the leader).
 *     Two guards protect a holder who merely paused: within handoverWindowMs of the
 *     holder's last voiced frame, a challenger's run of talk (spurts with pauses up to
 *     holdHangMs) must also have lasted handoverMinSpurtMs (a "yes" in a pause is not a
 *     turn, but an interrupter who talked through the holder's last words is); and if
 *     the holder is speaking again, the challenger must beat them by the takeover margin.
 *  4. takeover (the holder holds the floor): a talking challenger with speech evidence
 *     must be takeoverMarginDb more active than the holder for takeoverMs. Backchannels
 *     and crosstalk at similar loudness do not switch. If the level difference between
 *     the challenger and the holder stays nearly constant (spread <= colocatedSpreadDb),
 *     the two phones hear the same voice, and the smaller colocatedMarginDb lets the
 *     nearer phone take over. Reason "takeover".
 *     With the voice model, a persisting interruption takes over too: a confirmed voice
 *     that started after the holder's, has kept talking over them for overlapTakeoverMs
 *     and talks within overlapMarginDb of the holder's level (not quieter side talk, not
 *     the holder's voice on a nearby phone). Reason "takeover", evidence overlap: 1.
 *  5. dwell: rules 3 and 4 wait until the program has been on for dwellMs.
 *  6. silence never switches: with no evidence nothing happens, the last speaker stays.
 *  7. an admin's take cuts at once (unless pinned); the policy then carries on, its next
 *     speech or takeover cut waiting TAKE_HOLD_MS or the dwell, whichever is longer.
 *
 * Director roles: a `favor` participant needs FAVOR_EVIDENCE_FACTOR of the evidence, ranks
 * FAVOR_MARGIN_DB louder on a free floor, and has that margin in hand in a takeover or an
 * interruption, either way round. `never` is the mixer's (it mutes them to the policy).
 * The channel's shot length (ShotLengthObservation) replaces dwellMs while it is set.
 *
 * LiveKit's ActiveSpeakersChanged ("speakers") is a secondary hint only: a listed
 * participant needs speakerHintFactor × minSpeechMs of our own evidence instead of
 * minSpeechMs. It can shorten, never create, evidence (set the factor to 1 to ignore it).
 *
 * Cost: O(participants) per frame with preallocated typed arrays; allocation happens only
 * when a participant joins or a decision is made.
 */
import { FAVOR_EVIDENCE_FACTOR, FAVOR_MARGIN_DB, NOMINAL_FRAME_MS, TAKE_HOLD_MS, type SwitchConfig } from "./config";
import { DBOV_SILENCE } from "./level";
import type {
  Decision,
  DecisionReason,
  LevelsObservation,
  Observation,
  ParticipantId,
  Preview,
  SwitchPolicy,
} from "./types";

/** A stalled director must not credit a long gap between frames as speech or silence. */
const MAX_FRAME_MS = 100;
/** The floor window is kept as this many block minima (Martin-style minimum statistics). */
const FLOOR_BLOCKS = 4;
/** Co-location starts unproven after each switch: this spread is well above any threshold. */
const INITIAL_SPREAD_DB = 20;
/** Free-floor co-candidates need this share of the evidence to be ranked by loudness. */
const CO_CANDIDATE_SHARE = 0.5;
/**
 * A voiced frame more than this much quieter than the previous one is decaying; up to it
 * is level jitter (RFC 6464 levels are whole dB) on a sustained or swelling sound.
 */
const DECAY_JITTER_DB = 1;
/**
 * How fast a participant's talk level (Track.talkLevelDb) sinks between loud syllables, in
 * dB per second: by time alone, so the quiet frames of their own speech (consonants, word
 * ends) do not drag it down.
 */
const TALK_LEVEL_RELEASE_DB_PER_S = 3;
/**
 * talking() (the mixer's crosstalk and free floor) counts a voice within this many dB of
 * the loudest talker's talk level: side talk is 7 dB and more under the speaker, a far-end
 * loudspeaker's leak 15 dB and more, while two people talking over each other are close.
 */
const TALKING_WITHIN_DB = 6;

/** Per-participant state. Plain mutable fields and fixed typed arrays: no per-frame garbage. */
class Track {
  muted = false;
  levelDbov = DBOV_SILENCE;
  /** Noise floor in loudness dB (-dBov); NaN until the first audible frame. */
  floorDb = Number.NaN;
  /** Peak-following dB above floor. */
  activityDb = 0;
  voiced = false;
  lastVoicedT = Number.NEGATIVE_INFINITY;
  /** Start of the current talk spurt (voiced frames separated by dips only). */
  spurtStartT = Number.NEGATIVE_INFINITY;
  /**
   * Start of the current run of talk spurts separated by pauses up to holdHangMs: someone
   * who has been talking over the holder for seconds and pauses for breath is not a
   * backchannel when the floor frees up, although their latest spurt is short.
   */
  talkStartT = Number.NEGATIVE_INFINITY;
  /** Last time this participant had speech evidence (for "most recent speaker"). */
  lastSpokeT = Number.NEGATIVE_INFINITY;
  hinted = false;
  /** Loudness (-dBov) of the previous frame, for the syllabic-rise measure. */
  prevX = -DBOV_SILENCE;
  /**
   * Voiced ms of the current talk spurt that sustained or swelled (not quieter than the
   * previous voiced frame beyond jitter). Speech holds each vowel and swells into each
   * syllable; a cough, door or clap attacks in one frame from the floor and then only
   * decays, so it gathers almost none.
   */
  spurtSustainMs = 0;
  /** Peak-following ABSOLUTE loudness (-dBov), for ranking phones that hear one voice. */
  peakDb = -DBOV_SILENCE;
  /**
   * How loud this participant talks now: the peak absolute loudness (-dBov) of their voiced
   * frames, sinking by TALK_LEVEL_RELEASE_DB_PER_S, restarted with each run of talk. Unlike
   * peakDb it does not sag in word gaps, so two talkers compare by their voices.
   */
  talkLevelDb = -DBOV_SILENCE;
  /**
   * Quietest frame (-dBov) of the current run of talk, from its first voiced frame to its
   * latest, dips between them included: speech swings between syllable nuclei and
   * consonants or gaps (10 dB and more within 200 ms), a held note or a chord hardly at all.
   */
  talkMinX = -DBOV_SILENCE;
  /**
   * The largest rise of the current talk: a frame's level over the quietest one before it
   * (its first voiced frame on, dips included). A voice rises into its next syllable; a
   * single burst that only decays after its first peak (a laugh's first "ha") has not.
   */
  talkRiseDb = 0;
  /** Quietest frame since the last voiced one: a dip, once the talk resumes after it. */
  dipMinX = Number.POSITIVE_INFINITY;
  /** The current talk had a silence of pulseGapMs between voiced frames (laughter-like). */
  pulsed = false;
  /** Start of the current unbroken voiced run (no silence of pulseGapMs since). */
  runStartT = 0;
  /** The longest unbroken voiced run of the current talk, in ms. */
  maxRunMs = 0;
  /** ms since the last voiced frame at least pulseDepthDb under the talk's level. */
  deepGapMs = 0;
  /**
   * Level difference to the frame's loudest voiced participant (the "leader"), with its
   * mean absolute deviation and the shared-voice time it was measured over. Averaged
   * cumulatively at first, so a few hundred ms decide co-location in a free-floor
   * competition (the holder-relative measure below starts unproven on purpose).
   */
  leadMeanDb = 0;
  leadSpreadDb = 0;
  leadMs = 0;
  /** Sustained time the takeover condition has held against the current holder. */
  takeoverMs = 0;
  /**
   * Level difference to the current holder (x - holder x), smoothed, and its smoothed
   * absolute deviation. One voice reaching two phones keeps the difference nearly
   * constant; two different voices make it swing by the depth of their syllable dips.
   */
  deltaMeanDb = Number.NaN;
  deltaSpreadDb = INITIAL_SPREAD_DB;

  // Sliding speech window: ring of (frame end time, voiced ms).
  readonly winT: Float64Array;
  readonly winMs: Float64Array;
  winHead = 0;
  winCount = 0;
  speechMs = 0;
  // The voice model over the same window: ms the model judged speech, and ms it ran at all.
  readonly winVad: Float64Array;
  readonly winEval: Float64Array;
  vadMs = 0;
  evalMs = 0;
  /** The model's latest probability for this participant, NaN when not evaluated. */
  vadP = Number.NaN;

  // Floor window: ring of block minima of loudness.
  readonly blockMins = new Float64Array(FLOOR_BLOCKS).fill(Number.POSITIVE_INFINITY);
  readonly blockMaxs = new Float64Array(FLOOR_BLOCKS).fill(Number.NEGATIVE_INFINITY);
  blocksFilled = 0;
  blockNext = 0;
  blockMin = Number.POSITIVE_INFINITY;
  blockMax = Number.NEGATIVE_INFINITY;
  blockElapsedMs = 0;

  constructor(
    readonly id: ParticipantId,
    windowCapacity: number,
  ) {
    this.winT = new Float64Array(windowCapacity);
    this.winMs = new Float64Array(windowCapacity);
    this.winVad = new Float64Array(windowCapacity);
    this.winEval = new Float64Array(windowCapacity);
  }
}

/** What /debug shows for one participant. */
export interface TrackSnapshot {
  id: ParticipantId;
  muted: boolean;
  levelDbov: number;
  floorDbov: number | null;
  activityDb: number;
  speechMs: number;
  voiced: boolean;
  hinted: boolean;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

export class OursPolicy implements SwitchPolicy {
  readonly name = "evidence";
  private readonly cfg: Readonly<SwitchConfig>;
  private readonly tracks = new Map<ParticipantId, Track>();
  private readonly windowCapacity: number;
  private programId: ParticipantId | null = null;
  private pinnedId: ParticipantId | null = null;
  private lastSwitchT = Number.NEGATIVE_INFINITY;
  private lastLevelsT: number | null = null;
  /** The last levels observation carried the voice model's `speech` map. */
  private modelOn = false;
  /**
   * The holder holds the floor: they won the last competition and have not been silent
   * for holdHangMs since. Only then does a challenger need the takeover margin.
   */
  private holderHolds = false;
  /** The loudest voiced participant (absolute level) lately; reference of the lead stats. */
  private leader: Track | undefined = undefined;
  /** dwellMs, or the channel's shot length while an admin has set one. */
  private dwellMs: number;
  /** The last cut was an admin's take: the next automatic cut waits at least TAKE_HOLD_MS. */
  private lastWasTake = false;
  /** Participants with the `favor` director role. */
  private readonly favored = new Set<ParticipantId>();
  /** The loudest talk level among talkers, for talking(); computed once per frame on demand. */
  private loudestTalkT = Number.NaN;
  private loudestTalkDb = Number.NEGATIVE_INFINITY;

  constructor(config: SwitchConfig) {
    // Copy so a caller mutating its object mid-run cannot change a running policy.
    this.cfg = Object.freeze({ ...config });
    // Frames are nominally 20 ms; room for frames twice as dense before the ring evicts
    // early (which only under-counts evidence, the safe direction).
    this.windowCapacity = Math.ceil(this.cfg.speechWindowMs / (NOMINAL_FRAME_MS / 2)) + 2;
    this.dwellMs = this.cfg.dwellMs;
  }

  get program(): ParticipantId | null {
    return this.programId;
  }

  /** The pinned participant, or null when the policy decides. */
  get pinned(): ParticipantId | null {
    return this.pinnedId;
  }

  speaking(id: ParticipantId): boolean {
    const tr = this.tracks.get(id);
    return tr !== undefined && !tr.muted && tr.voiced;
  }

  /**
   * A voice of their own: speech evidence the policy believes, still talking, and not a
   * phone that only follows the loudest one (co-located phones hear one voice, which is
   * not crosstalk).
   */
  talking(id: ParticipantId): boolean {
    const tr = this.tracks.get(id);
    const t = this.lastLevelsT;
    if (!tr || t === null || tr.muted) return false;
    if (!this.isTalker(tr, t) || !this.isSpeechLike(tr, t) || this.followsLeader(tr)) return false;
    if (this.loudestTalkT !== t) {
      this.loudestTalkT = t;
      this.loudestTalkDb = Number.NEGATIVE_INFINITY;
      for (const o of this.tracks.values()) if (this.isTalker(o, t)) this.loudestTalkDb = Math.max(this.loudestTalkDb, o.talkLevelDb);
    }
    // Side talk, and a loudspeaker leaking the meeting back into a microphone, are voices
    // well under the one holding the room; they do not compete for the floor.
    return tr.talkLevelDb >= this.loudestTalkDb - TALKING_WITHIN_DB;
  }

  /**
   * The challenger closest to a cut, and how close (0..1): on a free floor their speech
   * evidence over what a cut needs (and, right after the holder spoke, their talk over the
   * handover length); against a holder who holds the floor, the lesser of that and their
   * takeover time (or, for a confirmed interrupter, their talk over overlapTakeoverMs).
   * Nobody while pinned: no evidence cuts then.
   */
  preview(): Preview | null {
    const t = this.lastLevelsT;
    if (t === null || this.pinnedId !== null) return null;
    const cfg = this.cfg;
    const holder = this.programId === null ? undefined : this.tracks.get(this.programId);
    const holds = holder !== undefined && this.holderHolds;
    const holderRecent = holder !== undefined && t - holder.lastVoicedT < cfg.handoverWindowMs;
    const ratio = (a: number, b: number): number => (b > 0 ? Math.min(1, a / b) : 1);
    let best: Preview | null = null;
    for (const tr of this.tracks.values()) {
      if (tr === holder || tr.muted || t - tr.lastVoicedT > cfg.dipToleranceMs) continue;
      const evidence = ratio(tr.speechMs, this.requiredMs(tr));
      let progress: number;
      if (!holds) {
        progress = holderRecent ? Math.min(evidence, ratio(this.talkMs(tr, t), this.handoverSpurtMs(tr))) : evidence;
      } else {
        progress = Math.min(evidence, ratio(tr.takeoverMs, cfg.takeoverMs));
        if (cfg.overlapTakeoverMs > 0 && this.modelConfirms(tr) && tr.talkStartT > holder.talkStartT) {
          progress = Math.max(progress, Math.min(evidence, ratio(this.talkMs(tr, t), cfg.overlapTakeoverMs)));
        }
      }
      if (progress > 0 && (!best || progress > best.progress)) best = { id: tr.id, progress };
    }
    return best;
  }

  /** Per-participant state for /debug. Allocates; do not call per frame. */
  snapshot(): TrackSnapshot[] {
    const out: TrackSnapshot[] = [];
    for (const tr of this.tracks.values()) {
      out.push({
        id: tr.id,
        muted: tr.muted,
        levelDbov: tr.levelDbov,
        floorDbov: Number.isNaN(tr.floorDb) ? null : round1(-tr.floorDb),
        activityDb: round1(tr.activityDb),
        speechMs: Math.round(tr.speechMs),
        voiced: tr.voiced,
        hinted: tr.hinted,
      });
    }
    return out;
  }

  observe(obs: Observation): Decision | null {
    switch (obs.type) {
      case "levels":
        return this.onLevels(obs);
      case "join":
        this.track(obs.id);
        return null;
      case "leave":
        return this.onLeave(obs.t, obs.id);
      case "mute":
        return this.onMute(obs.t, obs.id, obs.muted);
      case "pin":
        return this.onPin(obs.t, obs.id);
      case "speakers":
        for (const tr of this.tracks.values()) tr.hinted = false;
        for (const id of obs.ids) {
          const tr = this.tracks.get(id);
          if (tr) tr.hinted = true;
        }
        return null;
      case "take":
        return this.onTake(obs.t, obs.id);
      case "roles":
        this.favored.clear();
        for (const [id, role] of Object.entries(obs.roles)) if (role === "favor") this.favored.add(id);
        return null;
      case "shotLength":
        this.dwellMs = obs.ms ?? this.cfg.dwellMs;
        return null;
      case "wide":
        return null;
    }
  }

  // ---------------------------------------------------------------------------------
  // Events

  private track(id: ParticipantId): Track {
    let tr = this.tracks.get(id);
    if (!tr) {
      tr = new Track(id, this.windowCapacity);
      this.tracks.set(id, tr);
    }
    return tr;
  }

  private onLeave(t: number, id: ParticipantId): Decision | null {
    if (this.leader?.id === id) this.leader = undefined;
    this.tracks.delete(id);
    if (this.pinnedId === id) {
      // A pin on someone who is gone would show nothing; hand back to the policy.
      this.pinnedId = null;
      if (this.programId === id) {
        const d = this.moveOn(t, "holder-left", {});
        return d ? { ...d, pinCleared: true } : null;
      }
    }
    if (this.programId === id) return this.moveOn(t, "holder-left", {});
    return null;
  }

  private onMute(t: number, id: ParticipantId, muted: boolean): Decision | null {
    const tr = this.track(id);
    tr.muted = muted;
    if (muted) {
      tr.voiced = false;
      // The pinned participant stays on program even muted: the admin asked for them.
      if (this.programId === id && this.pinnedId === null) {
        this.holderHolds = false;
        return this.moveOn(t, "holder-muted", {});
      }
    }
    return null;
  }

  private onPin(t: number, id: ParticipantId | null): Decision | null {
    if (id !== null) {
      this.pinnedId = id;
      this.track(id); // so its leave is seen and its levels are tracked
      if (this.programId === id) return null;
      return this.switchTo(t, id, "pin", { pinned: 1 });
    }
    if (this.pinnedId === null) return null;
    this.pinnedId = null;
    const holder = this.programId === null ? undefined : this.tracks.get(this.programId);
    // The most active current talker, the pinned one included (then nothing changes and
    // they hold the floor); with nobody talking the pinned one stays, as silence never
    // switches.
    const best = this.bestTalker(t, undefined);
    if (!best) return null;
    if (best === holder) {
      this.holderHolds = true;
      return null;
    }
    return this.switchTo(t, best.id, "unpin", this.trackEvidence(best, holder, t));
  }

  /**
   * An admin's take: on program now, whoever talks. A pin outranks it; someone the policy
   * has never seen (not in the room) is ignored.
   */
  private onTake(t: number, id: ParticipantId): Decision | null {
    if (this.pinnedId !== null || !this.tracks.has(id) || this.programId === id) return null;
    return this.switchTo(t, id, "take", { take: 1 });
  }

  /** Leave/mute of the holder: next talker, else most recent speaker, else nobody. */
  private moveOn(t: number, reason: DecisionReason, extra: Record<string, number>): Decision | null {
    const old = this.programId === null ? undefined : this.tracks.get(this.programId);
    let next = this.bestTalker(t, old);
    let fallback = 0;
    if (!next) {
      for (const tr of this.tracks.values()) {
        if (tr === old || tr.muted || tr.lastSpokeT === Number.NEGATIVE_INFINITY) continue;
        if (!next || tr.lastSpokeT > next.lastSpokeT) next = tr;
      }
      fallback = next ? 1 : 0;
    }
    if (!next) {
      if (this.programId === null) return null;
      // Nobody else is talking or has spoken. A muted holder is still in the meeting (and
      // in the lab's ground truth still holds the floor until the next turn): showing them
      // is better than a black program, and the next speech switches at once, as the
      // muted holder no longer holds the floor. Someone who left cannot be shown.
      if (reason === "holder-muted" && old) return null;
      return this.switchTo(t, null, reason, { ...extra, candidates: 0 });
    }
    return this.switchTo(t, next.id, reason, {
      ...this.trackEvidence(next, undefined, t),
      ...extra,
      mostRecentFallback: fallback,
    });
  }

  // ---------------------------------------------------------------------------------
  // Levels

  private onLevels(obs: LevelsObservation): Decision | null {
    const { t, levels } = obs;
    const cfg = this.cfg;
    const dt =
      this.lastLevelsT === null ? NOMINAL_FRAME_MS : Math.min(MAX_FRAME_MS, Math.max(0, t - this.lastLevelsT));
    this.lastLevelsT = t;

    // Someone heard without a join (the director may have missed it) is present.
    for (const id in levels) {
      if (!this.tracks.has(id)) this.track(id);
    }

    // Per-frame constants, computed once for all participants.
    const aActivity = cfg.activityTauMs > 0 ? 1 - Math.exp(-dt / cfg.activityTauMs) : 1;
    const aFall = cfg.floorFallMs > 0 ? 1 - Math.exp(-dt / cfg.floorFallMs) : 1;
    const rise = (cfg.floorRiseDbPerS * dt) / 1000;
    const blockMs = cfg.floorWindowMs / FLOOR_BLOCKS;

    const speech = obs.speech;
    this.modelOn = speech !== undefined;
    for (const tr of this.tracks.values()) {
      const raw = levels[tr.id];
      const dbov =
        tr.muted || raw === undefined || !Number.isFinite(raw)
          ? DBOV_SILENCE
          : Math.min(DBOV_SILENCE, Math.max(0, raw));
      const p = speech?.[tr.id];
      tr.vadP = !tr.muted && p !== undefined && Number.isFinite(p) ? p : Number.NaN;
      this.updateTrack(tr, dbov, t, dt, aActivity, aFall, rise, blockMs);
    }

    this.updateLeader(dt);

    const holder = this.programId === null ? undefined : this.tracks.get(this.programId);
    if (holder) {
      const a = 1 - Math.exp(-dt / cfg.colocatedWindowMs);
      const hx = -holder.levelDbov;
      for (const tr of this.tracks.values()) {
        // Only frames where someone speaks say anything about a shared voice.
        if (tr === holder || !(tr.voiced || holder.voiced)) continue;
        if (tr.levelDbov >= DBOV_SILENCE || holder.levelDbov >= DBOV_SILENCE) continue;
        const delta = -tr.levelDbov - hx;
        if (Number.isNaN(tr.deltaMeanDb)) tr.deltaMeanDb = delta;
        tr.deltaMeanDb += (delta - tr.deltaMeanDb) * a;
        tr.deltaSpreadDb += (Math.abs(delta - tr.deltaMeanDb) - tr.deltaSpreadDb) * a;
      }
    }

    // Pinned: keep tracking (above) so an unpin decides from current evidence.
    if (this.pinnedId !== null) return null;
    return this.decide(t, dt, holder);
  }

  /**
   * Co-location for the free floor, O(participants): everyone's level difference to the
   * loudest voiced participant of the frame. One voice reaching two phones keeps it nearly
   * constant; two voices make it swing. Restarts when another participant becomes loudest.
   */
  private updateLeader(dt: number): void {
    let lead: Track | undefined;
    for (const tr of this.tracks.values()) {
      if (!tr.voiced || tr.muted) continue;
      if (!lead || tr.peakDb > lead.peakDb) lead = tr;
    }
    if (!lead) return; // silence: keep the reference and what was measured against it
    if (lead !== this.leader) {
      this.leader = lead;
      for (const tr of this.tracks.values()) tr.leadMs = 0;
    }
    const aSlow = 1 - Math.exp(-dt / this.cfg.colocatedWindowMs);
    const lx = -lead.levelDbov;
    for (const tr of this.tracks.values()) {
      if (tr === lead || !tr.voiced) continue;
      const delta = -tr.levelDbov - lx;
      tr.leadMs += dt;
      const a = Math.max(aSlow, dt / tr.leadMs);
      if (tr.leadMs <= dt) {
        tr.leadMeanDb = delta;
        tr.leadSpreadDb = 0;
      }
      tr.leadMeanDb += (delta - tr.leadMeanDb) * a;
      tr.leadSpreadDb += (Math.abs(delta - tr.leadMeanDb) - tr.leadSpreadDb) * a;
    }
  }

  /** Does `tr` hear the same voice as the leader, only quieter (a farther phone)? */
  private followsLeader(tr: Track): boolean {
    return (
      this.cfg.colocatedSpreadDb > 0 && // 0 turns co-location off
      this.leader !== undefined &&
      tr !== this.leader &&
      tr.leadMs >= this.cfg.colocatedMinMs &&
      tr.leadSpreadDb <= this.cfg.colocatedSpreadDb
    );
  }

  private updateTrack(
    tr: Track,
    dbov: number,
    t: number,
    dt: number,
    aActivity: number,
    aFall: number,
    rise: number,
    blockMs: number,
  ): void {
    const cfg = this.cfg;
    tr.levelDbov = dbov;
    const audible = dbov < DBOV_SILENCE;
    const x = -dbov;
    if (audible && Number.isNaN(tr.floorDb)) tr.floorDb = x;

    // Judge the frame against the floor as it was, so a loud onset is not half absorbed.
    const above = audible ? x - tr.floorDb : Number.NEGATIVE_INFINITY;
    const gated = audible && dbov <= cfg.absoluteGateDbov;
    const wasVoiced = tr.voiced;
    tr.voiced = gated && above >= cfg.voicedAboveFloorDb;
    const ax = gated ? x : -DBOV_SILENCE;
    tr.peakDb = ax >= tr.peakDb ? ax : tr.peakDb + (ax - tr.peakDb) * aActivity;
    // Peak-following: jumps up with each syllable and sags slowly through the dips, so
    // talkers with different syllable rhythms compare by how loud they speak rather than
    // by how often they pause.
    const act = gated ? Math.max(0, above) : 0;
    tr.activityDb = act >= tr.activityDb ? act : tr.activityDb + (act - tr.activityDb) * aActivity;

    if (audible) {
      // Fast down (pauses reveal the room), slow up (speech is not absorbed).
      if (x < tr.floorDb) tr.floorDb += (x - tr.floorDb) * aFall;
      else tr.floorDb = Math.min(x, tr.floorDb + rise);
      if (x < tr.blockMin) tr.blockMin = x;
      if (x > tr.blockMax) tr.blockMax = x;
    }
    if (blockMs > 0) {
      tr.blockElapsedMs += dt;
      if (tr.blockElapsedMs >= blockMs) {
        tr.blockElapsedMs -= blockMs;
        tr.blockMins[tr.blockNext] = tr.blockMin;
        tr.blockMaxs[tr.blockNext] = tr.blockMax;
        tr.blockNext = (tr.blockNext + 1) % FLOOR_BLOCKS;
        if (tr.blocksFilled < FLOOR_BLOCKS) tr.blocksFilled++;
        tr.blockMin = Number.POSITIVE_INFINITY;
        tr.blockMax = Number.NEGATIVE_INFINITY;
        if (tr.blocksFilled === FLOOR_BLOCKS) {
          let windowMin = Number.POSITIVE_INFINITY;
          let windowMax = Number.NEGATIVE_INFINITY;
          for (let i = 0; i < FLOOR_BLOCKS; i++) {
            windowMin = Math.min(windowMin, tr.blockMins[i] ?? windowMin);
            windowMax = Math.max(windowMax, tr.blockMaxs[i] ?? windowMax);
          }
          // The level stayed above the floor, and steady, for a whole window: the room
          // got louder (a fan, traffic). Speech, even without pauses, swings by its
          // syllable dips, so it is not absorbed into the floor this way.
          if (
            Number.isFinite(windowMin) &&
            windowMin > tr.floorDb &&
            windowMax - windowMin <= cfg.floorSteadyDb
          ) {
            tr.floorDb = windowMin;
          }
        }
      }
    }

    // Sliding speech window.
    const cap = tr.winT.length;
    const drop = (): void => {
      const oldest = (tr.winHead - tr.winCount + cap) % cap;
      tr.speechMs -= tr.winMs[oldest] ?? 0;
      tr.vadMs -= tr.winVad[oldest] ?? 0;
      tr.evalMs -= tr.winEval[oldest] ?? 0;
      tr.winCount--;
    };
    // Full (frames denser than expected): drop the oldest.
    if (tr.winCount === cap) drop();
    const voicedMs = tr.voiced ? dt : 0;
    const evaluated = !Number.isNaN(tr.vadP);
    const vadMs = evaluated && tr.vadP >= cfg.speechProbThreshold ? dt : 0;
    tr.winT[tr.winHead] = t;
    tr.winMs[tr.winHead] = voicedMs;
    tr.winVad[tr.winHead] = vadMs;
    tr.winEval[tr.winHead] = evaluated ? dt : 0;
    tr.winHead = (tr.winHead + 1) % cap;
    tr.winCount++;
    tr.speechMs += voicedMs;
    tr.vadMs += vadMs;
    tr.evalMs += evaluated ? dt : 0;
    const horizon = t - cfg.speechWindowMs;
    while (tr.winCount > 0) {
      const oldest = (tr.winHead - tr.winCount + cap) % cap;
      if ((tr.winT[oldest] ?? t) > horizon) break;
      drop();
    }
    // float drift from += / -=
    if (tr.speechMs < 1e-6) tr.speechMs = 0;
    if (tr.vadMs < 1e-6) tr.vadMs = 0;
    if (tr.evalMs < 1e-6) tr.evalMs = 0;

    if (tr.voiced) {
      // Pulses: the dip since the last voiced frame was a silence, pulseDepthDb under the
      // talk's level for pulseGapMs (a breath between a laugh's bursts); a new run starts.
      if (t - tr.lastVoicedT > cfg.holdHangMs) {
        tr.pulsed = false;
        tr.runStartT = t;
        tr.maxRunMs = 0;
      } else if (cfg.pulseGapMs > 0 && tr.deepGapMs >= cfg.pulseGapMs - 1) {
        tr.pulsed = true;
        tr.runStartT = t;
      }
      tr.deepGapMs = 0;
      tr.maxRunMs = Math.max(tr.maxRunMs, t - tr.runStartT + NOMINAL_FRAME_MS);
      // A gap longer than a syllable dip ends a talk spurt; this frame starts a new one.
      if (t - tr.lastVoicedT > cfg.holdHangMs) {
        tr.talkStartT = t;
        tr.talkLevelDb = x;
        tr.talkMinX = x;
        tr.talkRiseDb = 0;
      } else {
        tr.talkLevelDb = Math.max(x, tr.talkLevelDb - (TALK_LEVEL_RELEASE_DB_PER_S * dt) / 1000);
        // The talk resumed: the quiet frames since its last voiced one were a dip inside it.
        tr.talkRiseDb = Math.max(tr.talkRiseDb, x - Math.min(tr.talkMinX, tr.dipMinX));
        tr.talkMinX = Math.min(tr.talkMinX, tr.dipMinX, x);
      }
      tr.dipMinX = Number.POSITIVE_INFINITY;
      if (t - tr.lastVoicedT > cfg.dipToleranceMs) {
        tr.spurtStartT = t;
        tr.spurtSustainMs = 0;
      } else if (wasVoiced && x >= tr.prevX - DECAY_JITTER_DB) {
        // The attack from the floor is not counted: transients have one too.
        tr.spurtSustainMs += dt;
      }
      tr.lastVoicedT = t;
    } else {
      if (x < tr.dipMinX) tr.dipMinX = x;
      if (x <= tr.talkLevelDb - cfg.pulseDepthDb) tr.deepGapMs += dt;
    }
    tr.prevX = x;
    if (tr.speechMs >= this.requiredMs(tr)) tr.lastSpokeT = t;
  }

  /** Voiced length of the current talk spurt (to its last voiced frame), 0 when not talking. */
  private spurtMs(tr: Track, t: number): number {
    if (t - tr.lastVoicedT > this.cfg.dipToleranceMs) return 0;
    return tr.lastVoicedT - tr.spurtStartT + NOMINAL_FRAME_MS;
  }

  /** Length of the current run of spurts (pauses up to holdHangMs), 0 when not talking. */
  private talkMs(tr: Track, t: number): number {
    if (t - tr.lastVoicedT > this.cfg.dipToleranceMs) return 0;
    return tr.lastVoicedT - tr.talkStartT + NOMINAL_FRAME_MS;
  }

  /** The holder is speaking again (voiced just now), even without full evidence yet. */
  private isResuming(tr: Track, t: number): boolean {
    return !tr.muted && t - tr.lastVoicedT <= this.cfg.dipToleranceMs;
  }

  /**
   * Do the challenger's and the holder's phones hear one voice? Either the slow
   * holder-relative measure says so, or the fast leader-relative one does (one of the two
   * is the loudest voiced phone and the other follows it).
   */
  private colocatedWithHolder(tr: Track, holder: Track): boolean {
    return (
      tr.deltaSpreadDb <= this.cfg.colocatedSpreadDb ||
      (tr === this.leader && this.followsLeader(holder)) ||
      (holder === this.leader && this.followsLeader(tr))
    );
  }

  /** dB a challenger must beat the holder by: less when both phones hear one voice. */
  private marginAgainstHolder(tr: Track, holder: Track): number {
    const margin = this.colocatedWithHolder(tr, holder) ? this.cfg.colocatedMarginDb : this.cfg.takeoverMarginDb;
    return this.favored.size === 0 ? margin : Math.max(0, margin + this.favorBias(tr, holder));
  }

  /** dB the `favor` role adds to what `tr` must beat the holder by (negative: `tr` is favoured). */
  private favorBias(tr: Track, holder: Track): number {
    return (this.favored.has(holder.id) ? FAVOR_MARGIN_DB : 0) - (this.favored.has(tr.id) ? FAVOR_MARGIN_DB : 0);
  }

  /** A free-floor competitor's rank: activity, plus FAVOR_MARGIN_DB for a favoured one. */
  private rank(tr: Track): number {
    return this.favored.has(tr.id) ? tr.activityDb + FAVOR_MARGIN_DB : tr.activityDb;
  }

  /**
   * How much louder `tr` is than the holder. Different voices compare by dB above their
   * own floors (a quiet talker in a quiet room is not penalised); two phones hearing one
   * voice compare by absolute level, as their floors say nothing about which is nearer.
   */
  private advantageOver(tr: Track, holder: Track): number {
    return this.colocatedWithHolder(tr, holder) ? tr.peakDb - holder.peakDb : tr.activityDb - holder.activityDb;
  }

  /**
   * Speech-like structure: the spurt sustained or swelled for minSustainMs, or lasted
   * syllableBypassMs. Impulsive sounds (a sharp attack, then a monotonic decay) have neither.
   */
  private isSyllabic(tr: Track, t: number): boolean {
    const cfg = this.cfg;
    return tr.spurtSustainMs >= cfg.minSustainMs || this.spurtMs(tr, t) >= cfg.syllableBypassMs;
  }

  /**
   * Whether the voice model judges this participant: the director sends probabilities and
   * ran the model for them within the speech window. A participant it did not evaluate
   * (its gate stayed shut, or a director without the model) is judged by levels alone,
   * exactly as before the model: "not evaluated" never means "not speech".
   */
  private modelJudges(tr: Track): boolean {
    return this.modelOn && tr.evalMs > 0;
  }

  /** The model heard speech from this participant within the window. */
  private modelConfirms(tr: Track): boolean {
    return (
      this.modelJudges(tr) &&
      tr.vadMs >= this.cfg.modelMinVoiceMs &&
      // Speech is speech throughout its loud stretch; music, a knock or a squeak resemble a
      // voice only in moments, so the model covers little of what the level calls voiced.
      tr.vadMs >= this.cfg.modelCoverage * Math.min(tr.speechMs, tr.evalMs)
    );
  }

  /**
   * Speech, not noise: where the model judges, its verdict plus a level that swings like
   * syllables (music fools the model, not this); elsewhere the level shape test (sustained
   * or swelling, not an attack-and-decay).
   */
  private isSpeechLike(tr: Track, t: number): boolean {
    return this.modelJudges(tr) ? this.modelConfirms(tr) && this.isModulated(tr) && this.isUnbroken(tr) : this.isSyllabic(tr, t);
  }

  /**
   * Not a laugh: the model scores a "ha-ha" as speech, and its level swings like syllables.
   * But a laugh is voiced bursts with silences between them (60 ms and more at every
   * beat, 30 dB and more under the burst), none much longer than 180 ms; speech dips
   * through its consonants for a frame or two, and where it does fall silent inside a word
   * (a stop consonant), the next voiced run soon outlasts any burst of a laugh. Only deep
   * silences count: a talker by a fan dips to the fan's level between syllables, 10-15 dB
   * under their voice, and must not look like a laugh (a laugh that close to the noise is
   * not told apart, and may cut). So a talk that had such a silence cuts only
   * once one of its unbroken runs has reached pulsedRunMs. A talk without one is not
   * delayed. It holds for a free-floor cut, a takeover and a persisting interruption alike.
   */
  private isUnbroken(tr: Track): boolean {
    const cfg = this.cfg;
    return cfg.pulseGapMs <= 0 || !tr.pulsed || tr.maxRunMs >= cfg.pulsedRunMs;
  }

  /**
   * Syllabic energy modulation: the level of the current talk has risen by minTalkDepthDb
   * from a quieter moment of it (a consonant, a dip between syllables, its first frame).
   * The model scores the opening of music (a piano, a ringtone) as speech for a few hundred
   * ms; its level, unlike a voice's, stays within a few dB. A rise, not any swing: a laugh's
   * first "ha" swings by its decay alone, and the model often believes it.
   */
  private isModulated(tr: Track): boolean {
    return tr.talkRiseDb >= this.cfg.minTalkDepthDb;
  }

  /**
   * A persisting interruption: people who talk over the holder at a similar level and keep
   * going are taking the floor, even though they do not out-shout the holder (who often
   * finishes their sentence). The voice model must confirm it is speech; the talk must have
   * started after the holder's and lasted overlapTakeoverMs (a backchannel or a laugh is
   * shorter); its talk level must be within overlapMarginDb of the holder's (side talk and
   * crosstalk are quieter); and it must not be the holder's own voice on a nearby phone.
   * Without the model the rule is off: levels alone cannot tell a long laugh or a radio
   * from an interrupter.
   */
  private isInterrupting(tr: Track, holder: Track, t: number): boolean {
    const cfg = this.cfg;
    return (
      cfg.overlapTakeoverMs > 0 &&
      !tr.muted &&
      t - tr.lastVoicedT <= cfg.dipToleranceMs &&
      tr.talkStartT > holder.talkStartT &&
      this.talkMs(tr, t) >= cfg.overlapTakeoverMs &&
      tr.speechMs >= this.requiredMs(tr) &&
      this.modelConfirms(tr) &&
      this.isUnbroken(tr) &&
      tr.talkLevelDb >= holder.talkLevelDb - cfg.overlapMarginDb + (this.favored.size === 0 ? 0 : this.favorBias(tr, holder)) &&
      !this.colocatedWithHolder(tr, holder)
    );
  }

  private requiredMs(tr: Track): number {
    let base = this.modelConfirms(tr) ? this.cfg.modelMinSpeechMs : this.cfg.minSpeechMs;
    if (this.favored.has(tr.id)) base *= FAVOR_EVIDENCE_FACTOR;
    return tr.hinted ? base * this.cfg.speakerHintFactor : base;
  }

  private handoverSpurtMs(tr: Track): number {
    return this.modelConfirms(tr) ? this.cfg.modelHandoverMinSpurtMs : this.cfg.handoverMinSpurtMs;
  }

  /** Has speech evidence and is still talking (voiced within the hang time). */
  private isTalker(tr: Track, t: number): boolean {
    return !tr.muted && tr.speechMs >= this.requiredMs(tr) && t - tr.lastVoicedT <= this.cfg.holdHangMs;
  }

  /** The most active current talker, excluding `exclude`; ties go to the earlier joiner. */
  private bestTalker(t: number, exclude: Track | undefined): Track | undefined {
    let best: Track | undefined;
    for (const tr of this.tracks.values()) {
      if (tr === exclude || !this.isTalker(tr, t)) continue;
      if (!best || tr.activityDb > best.activityDb) best = tr;
    }
    return best;
  }

  private decide(t: number, dt: number, holder: Track | undefined): Decision | null {
    const cfg = this.cfg;
    const dwellOk = holder === undefined || t - this.lastSwitchT >= (this.lastWasTake ? Math.max(this.dwellMs, TAKE_HOLD_MS) : this.dwellMs);
    if (holder && (holder.muted || t - holder.lastVoicedT > cfg.holdHangMs)) this.holderHolds = false;

    if (!holder || !this.holderHolds) {
      // Free floor: an open competition that the holder takes part in too. Someone must
      // have full evidence; the most active of those with at least a share of it wins.
      // So the nearest of co-located phones wins, and a holder whose voice also leaks
      // into other phones simply holds again when they resume.
      // Right after the holder spoke, a challenger's spurt must also last
      // handoverMinSpurtMs: a "yes" in the holder's pause is not a new turn.
      const holderRecent = holder !== undefined && t - holder.lastVoicedT < cfg.handoverWindowMs;
      let triggered = false;
      let best: Track | undefined;
      let leaderCompetes = false;
      for (const tr of this.tracks.values()) {
        tr.takeoverMs = 0;
        // Only people talking now compete; lingering window evidence does not.
        if (tr.muted || t - tr.lastVoicedT > cfg.dipToleranceMs) continue;
        const required = this.requiredMs(tr);
        if (tr.speechMs < required * CO_CANDIDATE_SHARE) continue;
        // The model heard this one and it is not speech: a noise does not compete, so
        // a cough louder than a talker's first syllable cannot win the floor.
        if (this.modelJudges(tr) && tr !== holder && !this.modelConfirms(tr) && tr.evalMs >= cfg.modelMinVoiceMs) continue;
        if (
          tr.speechMs >= required &&
          this.isSpeechLike(tr, t) &&
          (tr === holder || !holderRecent || this.talkMs(tr, t) >= this.handoverSpurtMs(tr))
        ) {
          triggered = true;
        }
        if (tr === this.leader) leaderCompetes = true;
        if (!best || this.rank(tr) > this.rank(best)) best = tr;
      }
      if (!triggered || !best) return null;
      // Two phones hearing one voice: the louder one in absolute terms is the nearer phone,
      // whatever their floors (dB above floor favours the phone in the quieter room).
      if (leaderCompetes && this.leader && this.followsLeader(best)) best = this.leader;
      if (best !== holder && holder && this.isResuming(holder, t)) {
        // The holder is speaking again too: the challenger must beat them by the
        // takeover margin (the co-located one for the same voice), else the holder holds.
        if (this.advantageOver(best, holder) < this.marginAgainstHolder(best, holder)) best = holder;
      }
      if (best === holder) {
        this.holderHolds = true;
        return null;
      }
      if (!dwellOk) return null;
      return this.switchTo(t, best.id, "speech", {
        ...this.trackEvidence(best, holder, t),
        spurtMs: Math.round(this.spurtMs(best, t)),
      });
    }

    // Holder still talking: a challenger must out-talk them by a margin, for a while.
    let best: Track | undefined;
    for (const tr of this.tracks.values()) {
      if (tr === holder) continue;
      const margin = this.marginAgainstHolder(tr, holder);
      const ok =
        !tr.muted &&
        t - tr.lastVoicedT <= cfg.dipToleranceMs &&
        tr.speechMs >= this.requiredMs(tr) &&
        this.isSpeechLike(tr, t) &&
        this.advantageOver(tr, holder) >= margin;
      tr.takeoverMs = ok ? tr.takeoverMs + dt : Math.max(0, tr.takeoverMs - dt);
      if (tr.takeoverMs >= cfg.takeoverMs && (!best || tr.activityDb > best.activityDb)) best = tr;
    }
    if (!best) {
      // Nobody out-talked the holder; an interrupter who persists takes over all the same.
      for (const tr of this.tracks.values()) {
        if (tr !== holder && this.isInterrupting(tr, holder, t) && (!best || tr.activityDb > best.activityDb)) best = tr;
      }
      if (best && dwellOk) {
        return this.switchTo(t, best.id, "takeover", {
          ...this.trackEvidence(best, holder, t),
          overlap: 1,
          talkMs: Math.round(this.talkMs(best, t)),
        });
      }
    }
    if (!best || !dwellOk) return null;
    const colocated = best.deltaSpreadDb <= cfg.colocatedSpreadDb ? 1 : 0;
    return this.switchTo(t, best.id, "takeover", {
      ...this.trackEvidence(best, holder, t),
      takeoverMs: Math.round(best.takeoverMs),
      colocated,
      spreadDb: round1(best.deltaSpreadDb),
    });
  }

  private trackEvidence(tr: Track, holder: Track | undefined, t: number): Record<string, number> {
    const e: Record<string, number> = {
      speechMs: Math.round(tr.speechMs),
      requiredMs: Math.round(this.requiredMs(tr)),
      levelDbov: tr.levelDbov,
      floorDbov: Number.isNaN(tr.floorDb) ? DBOV_SILENCE : round1(-tr.floorDb),
      activityDb: round1(tr.activityDb),
      hinted: tr.hinted ? 1 : 0,
    };
    if (this.modelJudges(tr)) {
      e["modelSpeechMs"] = Math.round(tr.vadMs);
      e["modelEvalMs"] = Math.round(tr.evalMs);
    }
    if (holder) {
      e["marginDb"] = round1(tr.activityDb - holder.activityDb);
      e["holderSilentMs"] = Number.isFinite(holder.lastVoicedT) ? Math.round(t - holder.lastVoicedT) : -1;
    }
    if (Number.isFinite(this.lastSwitchT)) e["sinceSwitchMs"] = Math.round(t - this.lastSwitchT);
    return e;
  }

  private switchTo(
    t: number,
    id: ParticipantId | null,
    reason: DecisionReason,
    evidence: Record<string, number>,
  ): Decision {
    const previous = this.programId;
    this.programId = id;
    this.lastSwitchT = t;
    this.lastWasTake = reason === "take";
    // A speech/takeover winner is talking now. After pin, unpin, leave or mute the next
    // free-floor competition decides whether the new holder holds.
    this.holderHolds = reason === "speech" || reason === "takeover";
    // Takeover and co-location are measured against the holder; start afresh.
    for (const tr of this.tracks.values()) {
      tr.takeoverMs = 0;
      tr.deltaMeanDb = Number.NaN;
      tr.deltaSpreadDb = INITIAL_SPREAD_DB;
    }
    return { t, program: id, previous, reason, evidence };
  }
}
