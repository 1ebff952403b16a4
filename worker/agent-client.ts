/**
 * The director's side of LiveKit's agent dispatch, run in this process.
 *
 * LiveKit's dispatch engine does the placing: a director process registers as an agent
 * worker (WebSocket `/agent`, the protocol in livekit/protocol's agent.proto); LiveKit
 * offers it a job when a channel room is created (or on an explicit dispatch), picks
 * among registered directors by their reported load, and hands the chosen one a join
 * token. With several LiveKit nodes on Redis, the same engine spreads rooms over
 * directors across nodes.
 *
 * Why not @livekit/agents' AgentServer: its JS version runs every job in a child
 * process of its own (JobProcExecutor, the only executor in 1.9), about 150-185 MB and
 * 10 % of a core per room whatever its audio does. Here a job is an rtc-node Room in
 * this process. This file only speaks the protocol; placement, load balancing and the
 * join token stay LiveKit's.
 */
import {
  AvailabilityResponse,
  JobType,
  ParticipantPermission,
  RegisterWorkerRequest,
  ServerMessage,
  UpdateWorkerStatus,
  WorkerMessage,
  WorkerStatus,
  type Job,
} from "@livekit/protocol";
import { AccessToken } from "livekit-server-sdk";
import WebSocket from "ws";

const PROTOCOL_VERSION = "cc-director/1";
const LOAD_UPDATE_MS = 2500;
const MAX_BACKOFF_MS = 5000;

export interface AcceptedJob {
  id: string;
  room: string;
  /** the identity LiveKit put in the join token */
  identity: string;
  /** ms from our availability answer to this assignment */
  offeredMs: number;
  url: string;
  token: string;
}

export interface AgentClientOptions {
  /** ws(s):// or http(s):// URL of LiveKit */
  url: string;
  apiKey: string;
  apiSecret: string;
  agentName: string;
  permissions: { canPublish: boolean; canSubscribe: boolean; canPublishData: boolean; canUpdateMetadata: boolean; hidden: boolean };
  /** The identity to join as, or null to decline the job (not a channel room, full). */
  accept(job: Job): { identity: string; name: string } | null;
  /** The job is ours: join its room with the token. */
  onAssignment(job: AcceptedJob): void;
  /** LiveKit asks us to end a job (the room closed, or the dispatch was deleted). */
  onTermination(jobId: string): void;
  /** 0..1, reported to LiveKit so it places rooms on the least loaded director. */
  load(): number;
  onRegistered(workerId: string): void;
  log(msg: string, fields?: Record<string, unknown>): void;
}

export class AgentClient {
  private ws: WebSocket | null = null;
  private closed = false;
  private loadTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  workerId: string | null = null;
  /** Jobs we said yes to, waiting for LiveKit's assignment: job id -> identity. */
  /** job id → the identity we offered and when (performance.now) */
  private readonly offered = new Map<string, { identity: string; at: number }>();

  constructor(private readonly opts: AgentClientOptions) {}

  get connected(): boolean {
    return this.workerId !== null && this.ws?.readyState === WebSocket.OPEN;
  }

  start(): void {
    void this.connect();
  }

  close(): void {
    this.closed = true;
    if (this.loadTimer) clearInterval(this.loadTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.ws?.close();
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const at = new AccessToken(this.opts.apiKey, this.opts.apiSecret);
    at.addGrant({ agent: true });
    const url = new URL(this.opts.url);
    url.protocol = url.protocol.replace(/^http/, "ws");
    url.pathname = `${url.pathname.replace(/\/$/, "")}/agent`;
    const ws = new WebSocket(url, { headers: { authorization: `Bearer ${await at.toJwt()}` } });
    this.ws = ws;
    ws.binaryType = "nodebuffer";
    ws.on("open", () => this.register());
    ws.on("message", (data: Buffer) => this.onMessage(data));
    ws.on("error", (err: Error) => this.opts.log("dispatch connection error", { error: err.message }));
    ws.on("close", () => this.onClose(ws));
  }

  private onClose(ws: WebSocket): void {
    if (this.ws !== ws) return;
    const wasRegistered = this.workerId !== null;
    this.workerId = null;
    this.offered.clear();
    if (this.loadTimer) clearInterval(this.loadTimer);
    this.loadTimer = null;
    if (this.closed) return;
    // Rooms already joined keep running: they hold their own connections.
    this.failures = wasRegistered ? 1 : this.failures + 1;
    const delay = Math.min(MAX_BACKOFF_MS, 250 * 2 ** (this.failures - 1));
    this.opts.log("dispatch connection lost; reconnecting", { inMs: delay });
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }

  private send(message: WorkerMessage["message"]): void {
    if (this.ws?.readyState !== WebSocket.OPEN) return;
    this.ws.send(new WorkerMessage({ message }).toBinary());
  }

  private register(): void {
    const p = this.opts.permissions;
    this.send({
      case: "register",
      value: new RegisterWorkerRequest({
        type: JobType.JT_ROOM,
        agentName: this.opts.agentName,
        version: PROTOCOL_VERSION,
        allowedPermissions: new ParticipantPermission({ ...p, agent: true }),
      }),
    });
  }

  private onMessage(data: Buffer): void {
    let msg: ServerMessage;
    try {
      msg = ServerMessage.fromBinary(new Uint8Array(data));
    } catch (err) {
      this.opts.log("unreadable dispatch message", { error: String(err) });
      return;
    }
    const m = msg.message;
    switch (m.case) {
      case "register":
        this.workerId = m.value.workerId;
        this.failures = 0;
        this.reportLoad();
        this.loadTimer = setInterval(() => this.reportLoad(), LOAD_UPDATE_MS);
        this.opts.onRegistered(m.value.workerId);
        return;
      case "availability": {
        const job = m.value.job;
        if (!job) return;
        let answer: { identity: string; name: string } | null = null;
        try {
          answer = this.opts.accept(job);
        } catch (err) {
          this.opts.log("job check failed", { error: String(err) });
        }
        if (answer) this.offered.set(job.id, { identity: answer.identity, at: performance.now() });
        this.send({
          case: "availability",
          value: new AvailabilityResponse(
            answer
              ? { jobId: job.id, available: true, participantIdentity: answer.identity, participantName: answer.name }
              : { jobId: job.id, available: false },
          ),
        });
        return;
      }
      case "assignment": {
        const job = m.value.job;
        if (!job) return;
        const offer = this.offered.get(job.id);
        this.offered.delete(job.id);
        if (offer === undefined) {
          this.opts.log("assignment for a job we did not accept", { jobId: job.id });
          return;
        }
        this.opts.onAssignment({
          id: job.id,
          room: job.room?.name ?? "",
          identity: offer.identity,
          offeredMs: Math.round(performance.now() - offer.at),
          url: m.value.url || this.opts.url,
          token: m.value.token,
        });
        return;
      }
      case "termination":
        this.opts.onTermination(m.value.jobId);
        return;
      default:
        return;
    }
  }

  private reportLoad(): void {
    const load = Math.min(1, Math.max(0, this.opts.load()));
    this.send({
      case: "updateWorker",
      value: new UpdateWorkerStatus({ load, status: load >= 1 ? WorkerStatus.WS_FULL : WorkerStatus.WS_AVAILABLE }),
    });
  }
}
