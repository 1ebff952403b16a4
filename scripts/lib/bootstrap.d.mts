export const ROOT: string;
export const CACHE: string;
export const LIVEKIT_VERSION: string;
export function log(msg: string): void;
export function warn(msg: string): void;
export function fail(msg: string): never;
export function run(cmd: string, args: string[], opts?: Record<string, unknown>): Promise<number>;
export function which(name: string): string | null;
export function ensureDependencies(): Promise<void>;
export function ensureLivekitServer(): Promise<string>;
export function ensureChromium(): Promise<string>;
export function ensureFirefox(): Promise<string>;
export interface WebKitTools {
  driver: string;
  miniBrowser: string;
  xvfbRun: string;
  dbusRunSession: string;
}
export function ensureWebKit(): Promise<WebKitTools>;
export function ensureSpeechTools(opts: { required: boolean }): Promise<boolean>;
export function ensureBuild(): Promise<void>;
export function ensureLk(): Promise<string>;
export function ensureRedis(): Promise<string>;
