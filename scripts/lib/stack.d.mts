import type { ChildProcess } from "node:child_process";
import type { HttpsEntry } from "./https-entry.mjs";

export interface Ports {
  app: number;
  http: number;
  tcp: number;
  udp: number;
  director: number;
}
export interface Stack {
  appUrl: string;
  livekitUrl: string;
  /** https://127.0.0.1:<port> when started with `https`. */
  httpsUrl: string | null;
  entry: HttpsEntry | null;
  keys: { key: string; secret: string };
  ports: Ports;
  children: ChildProcess[];
  livekit: ChildProcess;
  app: ChildProcess;
  director: ChildProcess | null;
  serviceEnv: Record<string, string | undefined>;
  /** One more process of each kind with this run's settings (ports, config, env). */
  spawn: { livekit(): ChildProcess; app(): ChildProcess; director(): ChildProcess };
  stop(): Promise<void>;
}
export const DEV_API_KEY: string;
export const DEV_API_SECRET: string;
export function freeTcpPort(): Promise<number>;
export function freeUdpPort(): Promise<number>;
export function freeStackPorts(): Promise<Ports>;
export function tcpPortInUse(port: number, host?: string): Promise<boolean>;
export function resolveKeys(env?: Record<string, string | undefined>): { key: string; secret: string };
export function startStack(opts: {
  livekitBin: string;
  ports: Ports;
  appMode?: "start" | "dev";
  quiet?: boolean;
  logDir?: string;
  extraEnv?: Record<string, string>;
  nodeIp?: string;
  bind?: string[];
  withDirector?: boolean;
  https?: { port: number; host?: string; cert: string; key: string };
}): Promise<Stack>;
export function startDirector(opts: { env: Record<string, string | undefined>; ports: Ports; logDir: string; quiet?: boolean }): ChildProcess;
export function spawnService(
  name: string,
  cmd: string,
  args: string[],
  opts?: { env?: Record<string, string | undefined>; logFile?: string; quiet?: boolean; cwd?: string },
): ChildProcess;
export function stopService(child: ChildProcess, graceMs?: number): Promise<void>;
export function livekitConfig(opts: {
  ports: { http: number; tcp: number; udp: number };
  keys: { key: string; secret: string };
  webhookUrl: string;
  bind?: string[];
}): Promise<string>;
export function spawnService(
  name: string,
  cmd: string,
  args: string[],
  opts?: { env?: Record<string, string | undefined>; logFile?: string; quiet?: boolean },
): ChildProcess;
export function superviseStack(
  stack: Stack,
  opts: { logDir: string; log?: (line: string) => void },
): import("./supervise.mjs").Supervisor<ChildProcess>[];
