/**
 * The director process: every room LiveKit's dispatch gives it, in one process, on one
 * 20 ms clock. It registers with LiveKit as the agent worker `director`
 * (worker/agent-client.ts), joins each assigned room as an rtc-node Room
 * (worker/room-session.ts), reconciles rooms LiveKit did not dispatch
 * (worker/reconcile.ts), and answers health checks on DIRECTOR_HTTP_PORT.
 */
import { createServer, type Server } from "node:http";
import type { Job } from "@livekit/protocol";
import type { RoomServiceClient } from "livekit-server-sdk";
import { DIRECTOR_IDENTITY_PREFIX } from "@/lib/room-state";
import { DIRECTOR_PERMISSIONS } from "@/lib/livekit/grants";
import { channelOfRoom } from "@/lib/schemas";
import { SileroVad } from "@/lib/speech";
import { createDirector } from "@/lib/switching";
import { AgentClient } from "./agent-client";
import { FrameClock } from "./clock";
import { dispatchClientFor, roomServiceFor } from "./livekit-api";
import { ProcessMeter } from "./process-meter";
import type { HostHealth } from "./publisher";
import { Reconciler } from "./reconcile";
import { RoomSession } from "./room-session";
import { configForDebug, type DirectorSettings } from "./settings";

const HEALTH_SAMPLE_MS = 1000;
const MODEL_ERROR_LOG_MS = 10_000;

type Log = (msg: string, fields?: Record<string, unknown>) => void;

export class DirectorHost {
  private readonly sessions = new Map<string, RoomSession>();
  /** rooms with an accepted job whose assignment has not come yet: room -> job id */
  private readonly offered = new Map<string, string>();
  private readonly rooms: RoomServiceClient;
  private readonly client: AgentClient;
  private readonly reconciler: Reconciler;
  private clock = new FrameClock(performance.now());
  private readonly meter = new ProcessMeter();
  private readonly debugConfig: Record<string, number | string | boolean>;
  private health: HostHealth;
  private timer: NodeJS.Timeout | null = null;
  private healthTimer: NodeJS.Timeout | null = null;
  private http: Server | null = null;
  private stopped = false;
  /**
   * The voice model, shared by every room: loaded with the first room (so an idle
   * director stays small), null until then or if it cannot load, when the policy
   * decides on levels alone.
   */
  private voiceModel: SileroVad | null = null;
  private voiceModelLoading = false;
  private modelErrors = 0;
  private modelErrorLoggedAt = 0;

  constructor(
    private readonly settings: DirectorSettings,
    private readonly log: Log,
  ) {
    const e = settings.env;
    this.rooms = roomServiceFor(e);
    this.debugConfig = configForDebug(settings.switching);
    this.health = { pid: process.pid, startedAt: Date.now(), cpuPercent: 0, rssMb: 0, eventLagMs: 0, eventLagMaxMs: 0, framesDropped: 0 };
    this.reconciler = new Reconciler(this.rooms, dispatchClientFor(e), e.DIRECTOR_AGENT_NAME, e.DIRECTOR_RECONCILE_MS, log, (room) =>
      this.sessions.has(room) || this.offered.has(room),
    );
    this.client = new AgentClient({
      url: e.LIVEKIT_URL,
      apiKey: e.LIVEKIT_API_KEY,
      apiSecret: e.LIVEKIT_API_SECRET,
      agentName: e.DIRECTOR_AGENT_NAME,
      permissions: DIRECTOR_PERMISSIONS,
      accept: (job) => this.accept(job),
      onAssignment: (a) => {
        log("assigned a room", { room: a.room, jobId: a.id, offeredMs: a.offeredMs });
        this.assign(a.id, a.room, a.url, a.token);
      },
      onTermination: (jobId) => {
        for (const s of this.sessions.values()) if (s.jobId === jobId) s.end();
      },
      load: () => (this.sessions.size + this.offered.size) / e.DIRECTOR_MAX_ROOMS,
      onRegistered: (workerId) => {
        log("director registered", { workerId });
        // Rooms created before this moment were offered to no one: reconcile at once.
        this.reconciler.start(Date.now());
      },
      log,
    });
  }

  /** Rooms directed now (for /debug and the health answer). */
  get roomCount(): number {
    return this.sessions.size;
  }

  async start(): Promise<void> {
    const e = this.settings.env;
    this.http = createServer((req, res) => {
      const ok = this.client.connected;
      const body = {
        ok,
        registered: ok,
        workerId: this.client.workerId,
        rooms: [...this.sessions.values()].map((s) => ({ room: s.roomName, identity: s.identity, participants: s.participants })),
        health: this.health,
        voiceModel: this.voiceModel ? { windows: this.voiceModel.windows, runs: this.voiceModel.runs, busyMs: Math.round(this.voiceModel.busyMs) } : null,
      };
      res.writeHead(req.method === "GET" || req.method === "HEAD" ? (ok ? 200 : 503) : 405, { "content-type": "application/json" });
      res.end(req.method === "HEAD" ? undefined : JSON.stringify(body));
    });
    await new Promise<void>((resolve, reject) => {
      this.http!.once("error", reject);
      this.http!.listen(e.DIRECTOR_HTTP_PORT, e.DIRECTOR_HTTP_HOST, () => resolve());
    });
    this.client.start();
    this.healthTimer = setInterval(() => this.sampleHealth(), HEALTH_SAMPLE_MS);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.healthTimer) clearInterval(this.healthTimer);
    this.reconciler.stop();
    this.client.close();
    for (const s of [...this.sessions.values()]) s.end();
    await new Promise<void>((resolve) => (this.http ? this.http.close(() => resolve()) : resolve()));
  }

  private accept(job: Job): { identity: string; name: string } | null {
    const room = job.room?.name ?? "";
    if (this.stopped || channelOfRoom(room) === null) return null;
    // One director per room per process: a second dispatch to a room we direct is declined.
    if (this.sessions.has(room) || this.offered.has(room)) return null;
    if (this.sessions.size + this.offered.size >= this.settings.env.DIRECTOR_MAX_ROOMS) return null;
    this.offered.set(room, job.id);
    // The offer lapses if LiveKit never assigns it (another director won it).
    setTimeout(() => {
      if (this.offered.get(room) === job.id) this.offered.delete(room);
    }, 15_000).unref();
    return { identity: `${DIRECTOR_IDENTITY_PREFIX}${job.id.slice(-10)}`, name: "Director" };
  }

  private assign(jobId: string, room: string, url: string, token: string): void {
    if (this.offered.get(room) === jobId) this.offered.delete(room);
    if (this.sessions.has(room) || this.stopped) return;
    const session = new RoomSession({
      jobId,
      roomName: room,
      url,
      token,
      policy: createDirector(this.settings.switching),
      rooms: this.rooms,
      configForDebug: this.debugConfig,
      voiceModel: () => this.voiceModel,
      log: this.log,
      onEnded: (s) => {
        if (this.sessions.get(s.roomName) === s) this.sessions.delete(s.roomName);
      },
    });
    this.sessions.set(room, session);
    this.loadVoiceModel();
    void session.start();
    // The clock runs while there are rooms: an idle director costs (almost) nothing.
    if (!this.timer) {
      const dropped = this.clock.dropped;
      this.clock = new FrameClock(performance.now());
      this.clock.dropped = dropped;
      this.schedule();
    }
  }

  private loadVoiceModel(): void {
    if (this.voiceModel || this.voiceModelLoading || this.settings.switching.policy === "loudest") return;
    this.voiceModelLoading = true;
    const t0 = performance.now();
    SileroVad.load()
      .then((m) => {
        // Windows run as they arrive (batched when they arrive together), as before
        // batching: a per-tick flush made the real director cut to a sneeze that it
        // otherwise ignores (lab --real, s13 seed 5, twice), so it stays off for now.
        m.onError = (err) => this.modelFailed(err);
        this.voiceModel = m;
        this.log("voice model loaded", { ms: Math.round(performance.now() - t0) });
      })
      .catch((err: unknown) => {
        // Never fatal: without the model a chair can cut the program, but every turn still does.
        this.log("the voice model could not load; deciding on levels alone", { error: String(err) });
      });
  }

  private schedule(): void {
    if (this.stopped || this.sessions.size === 0) {
      this.timer = null;
      return;
    }
    this.timer = setTimeout(() => this.tick(), this.clock.delay(performance.now()));
  }

  private tick(): void {
    const frames = this.clock.due(performance.now());
    if (frames.length === 0) return this.schedule();
    this.step(frames);
  }

  /** A failing model is logged once per MODEL_ERROR_LOG_MS, with how often it failed. */
  private modelFailed(err: unknown): void {
    this.modelErrors++;
    const now = Date.now();
    if (now - this.modelErrorLoggedAt < MODEL_ERROR_LOG_MS) return;
    this.log("voice model failed", { error: String(err), failures: this.modelErrors });
    this.modelErrorLoggedAt = now;
    this.modelErrors = 0;
  }

  private step(frames: number[]): void {
    for (const s of this.sessions.values()) for (const t of frames) s.step(t);
    const now = Date.now();
    for (const s of this.sessions.values()) s.publish(now, this.health);
    this.schedule();
  }

  private sampleHealth(): void {
    const usage = this.meter.sample();
    this.health = {
      ...this.health,
      cpuPercent: usage.cpuPercent,
      rssMb: usage.rssMb,
      eventLagMs: Math.round(this.clock.lagMs * 10) / 10,
      eventLagMaxMs: Math.round(this.clock.lagMaxMs * 10) / 10,
      framesDropped: this.clock.dropped,
    };
  }
}
