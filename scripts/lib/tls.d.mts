export interface Wanted {
  ips: string[];
  dns: string[];
}
export const CERT_FILE: string;
export const KEY_FILE: string;
export function wantedNames(opts: { ips: string[]; hostname: string }): Wanted;
export function certificateNames(pem: string): { ips: string[]; dns: string[]; validTo: Date; selfSigned: boolean };
export function reuseDecision(opts: {
  certPem: string | null;
  keyPem: string | null;
  wanted: Wanted;
  now?: Date;
  preferTrusted?: boolean;
}): { reuse: true } | { reuse: false; reason: string };
export function selfSigned(wanted: Wanted, now?: Date): Promise<{ certPem: string; keyPem: string }>;
export function fromMkcert(mkcert: string, wanted: Wanted, dir: string): { certPem: string; keyPem: string } | null;
export function ensureCertificate(opts: {
  dir: string;
  ips: string[];
  hostname: string;
  mkcert?: string | null;
  now?: Date;
  generate?: (wanted: Wanted, now: Date) => Promise<{ certPem: string; keyPem: string }>;
}): Promise<{
  cert: string;
  key: string;
  certPath: string;
  keyPath: string;
  created: boolean;
  reason: string;
  method: "self-signed" | "mkcert";
  wanted: Wanted;
}>;
