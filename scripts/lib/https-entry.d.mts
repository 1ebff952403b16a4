import type { Server } from "node:https";
export interface HttpsEntry {
  server: Server;
  port: number;
  dropUpgrades(): number;
  close(): Promise<void>;
}
export function isLivekitPath(url: string | undefined): boolean;
export function entryProof(apiSecret: string): string;
export interface EntryLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  upstreamTimeoutMs: number;
  upgradeIdleMs: number;
  maxConcurrentPerClient: number;
  maxUpgradesPerClient: number;
  checkIntervalMs: number;
}
export const ENTRY_DEFAULTS: EntryLimits;
export function startHttpsEntry(opts: {
  port: number;
  host?: string;
  cert: string;
  key: string;
  appPort: number;
  livekitPort: number;
  upstreamHost?: string;
  /** the LiveKit API secret: the entry proves itself to the app with a header keyed by it */
  apiSecret?: string;
  limits?: Partial<EntryLimits>;
}): Promise<HttpsEntry>;
