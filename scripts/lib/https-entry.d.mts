import type { Server } from "node:https";
export interface HttpsEntry {
  server: Server;
  port: number;
  dropUpgrades(): number;
  close(): Promise<void>;
}
export function isLivekitPath(url: string | undefined): boolean;
export function startHttpsEntry(opts: {
  port: number;
  host?: string;
  cert: string;
  key: string;
  appPort: number;
  livekitPort: number;
  upstreamHost?: string;
}): Promise<HttpsEntry>;
