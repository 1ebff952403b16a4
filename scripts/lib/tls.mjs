// @ts-check
// The HTTPS entry point's certificate. Phones give camera and microphone only to secure
// pages, so `npm start` needs a certificate whose names cover the LAN addresses.
//
// - Kept in .cache/tls (git-ignored) and reused while it still covers every wanted name
//   and has more than a month left: running `npm start` twice gives the same certificate,
//   so a phone that accepted it once is not asked again.
// - Regenerated when a wanted name is missing (the LAN IP changed, another network).
// - With `mkcert` on PATH, a locally trusted certificate (mkcert's CA); otherwise a
//   self-signed one (node-forge), which each phone accepts once.
import { X509Certificate, createPrivateKey, generateKeyPairSync, randomBytes } from "node:crypto";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const CERT_FILE = "cert.pem";
export const KEY_FILE = "key.pem";
const MIN_REMAINING_MS = 30 * 24 * 3600 * 1000;
const VALIDITY_DAYS = 365;

/**
 * @typedef {{ ips: string[]; dns: string[] }} Names
 * @typedef {{ certPem: string; keyPem: string }} Made
 */

/**
 * The names the certificate must carry: LAN IPs, loopback, localhost and the host name.
 * @param {{ ips: string[]; hostname: string }} o
 * @returns {Names}
 */
export function wantedNames({ ips, hostname }) {
  const ipSet = [...new Set([...ips, "127.0.0.1"])];
  const dns = [...new Set(["localhost", hostname, hostname && hostname !== "localhost" && !hostname.includes(".") ? `${hostname}.local` : ""].filter((d) => !!d))];
  return { ips: ipSet, dns };
}

/**
 * SAN entries of a PEM certificate, as { ips, dns }.
 * @param {string} pem
 */
export function certificateNames(pem) {
  const x = new X509Certificate(pem);
  /** @type {string[]} */
  const ips = [];
  /** @type {string[]} */
  const dns = [];
  for (const part of (x.subjectAltName ?? "").split(/,\s*/)) {
    const m = /^(DNS|IP Address):(.+)$/.exec(part.trim());
    if (!m) continue;
    (m[1] === "DNS" ? dns : ips).push((m[2] ?? "").toLowerCase());
  }
  return { ips, dns, validTo: new Date(x.validTo), selfSigned: x.issuer === x.subject && x.verify(x.publicKey) };
}

/**
 * Can the stored certificate be kept? Pure: the caller reads the files.
 * Returns { reuse: true } or { reuse: false, reason }.
 * @param {{ certPem: string | null; keyPem: string | null; wanted: Names; now?: Date; preferTrusted?: boolean }} o
 * @returns {{ reuse: true; reason?: undefined } | { reuse: false; reason: string }}
 */
export function reuseDecision({ certPem, keyPem, wanted, now = new Date(), preferTrusted = false }) {
  if (!certPem || !keyPem) return { reuse: false, reason: "no certificate yet" };
  let have;
  try {
    have = certificateNames(certPem);
    const x = new X509Certificate(certPem);
    if (!x.checkPrivateKey(createPrivateKey(keyPem))) return { reuse: false, reason: "the key does not match the certificate" };
  } catch (err) {
    return { reuse: false, reason: `unreadable certificate (${err instanceof Error ? err.message : err})` };
  }
  const missingIps = wanted.ips.filter((ip) => !have.ips.includes(ip));
  const missingDns = wanted.dns.filter((d) => !have.dns.includes(d.toLowerCase()));
  if (missingIps.length || missingDns.length) {
    return { reuse: false, reason: `it does not cover ${[...missingIps, ...missingDns].join(", ")} (the network changed)` };
  }
  if (have.validTo.getTime() - now.getTime() < MIN_REMAINING_MS) return { reuse: false, reason: "it expires within 30 days" };
  if (preferTrusted && have.selfSigned) return { reuse: false, reason: "mkcert is installed: replacing the self-signed certificate" };
  return { reuse: true };
}

/**
 * A self-signed certificate for `wanted` (node-forge signs; Node makes the key).
 * @param {Names} wanted
 * @returns {Promise<Made>}
 */
export async function selfSigned(wanted, now = new Date()) {
  const { default: forge } = await import("node-forge");
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  // Positive serial: a leading 0x00 bit keeps DER from reading it as negative.
  cert.serialNumber = "00" + randomBytes(15).toString("hex");
  cert.validity.notBefore = new Date(now.getTime() - 24 * 3600 * 1000);
  cert.validity.notAfter = new Date(now.getTime() + VALIDITY_DAYS * 24 * 3600 * 1000);
  const attrs = [
    { name: "commonName", value: "Conference Camera (this computer)" },
    { name: "organizationName", value: "Conference Camera self-signed" },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
    { name: "extKeyUsage", serverAuth: true },
    {
      name: "subjectAltName",
      altNames: [...wanted.dns.map((value) => ({ type: 2, value })), ...wanted.ips.map((ip) => ({ type: 7, ip }))],
    },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(privateKey), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: privateKey };
}

/**
 * A locally trusted certificate from mkcert (its CA must be installed: `mkcert -install`).
 * @param {string} mkcert
 * @param {Names} wanted
 * @param {string} dir
 * @returns {Made | null}
 */
export function fromMkcert(mkcert, wanted, dir) {
  const certFile = join(dir, "mkcert-cert.pem");
  const keyFile = join(dir, "mkcert-key.pem");
  const r = spawnSync(mkcert, ["-cert-file", certFile, "-key-file", keyFile, ...wanted.dns, ...wanted.ips], { encoding: "utf8" });
  if (r.status !== 0) return null;
  return { certPem: readFileSync(certFile, "utf8"), keyPem: readFileSync(keyFile, "utf8") };
}

/**
 * Reuse or make the certificate in `dir`. `generate` is injectable for tests.
 * Returns { cert, key, certPath, keyPath, created, reason, method }.
 * @param {{ dir: string; ips: string[]; hostname: string; mkcert?: string | null; now?: Date; generate?: (wanted: Names, now: Date) => Promise<Made> }} o
 */
export async function ensureCertificate({ dir, ips, hostname, mkcert = null, now = new Date(), generate }) {
  mkdirSync(dir, { recursive: true });
  const certPath = join(dir, CERT_FILE);
  const keyPath = join(dir, KEY_FILE);
  const wanted = wantedNames({ ips, hostname });
  const certPem = existsSync(certPath) ? readFileSync(certPath, "utf8") : null;
  const keyPem = existsSync(keyPath) ? readFileSync(keyPath, "utf8") : null;
  const decision = reuseDecision({ certPem, keyPem, wanted, now, preferTrusted: !!mkcert });
  if (decision.reuse) {
    if (!certPem || !keyPem) throw new Error("unreachable: reuse without a certificate");
    const names = certificateNames(certPem);
    return { cert: certPem, key: keyPem, certPath, keyPath, created: false, reason: "reused", method: names.selfSigned ? "self-signed" : "mkcert", wanted };
  }
  /** @type {Made | null} */
  let made = null;
  let method = "self-signed";
  if (generate) made = await generate(wanted, now);
  else {
    if (mkcert) {
      made = fromMkcert(mkcert, wanted, dir);
      if (made) method = "mkcert";
    }
    made ??= await selfSigned(wanted, now);
  }
  // Write the key first and rename into place, so an interrupted start never leaves a
  // certificate next to a key that does not match it.
  writeFileSync(`${keyPath}.tmp`, made.keyPem, { mode: 0o600 });
  writeFileSync(`${certPath}.tmp`, made.certPem);
  renameSync(`${keyPath}.tmp`, keyPath);
  renameSync(`${certPath}.tmp`, certPath);
  return { cert: made.certPem, key: made.keyPem, certPath, keyPath, created: true, reason: decision.reason, method, wanted };
}
