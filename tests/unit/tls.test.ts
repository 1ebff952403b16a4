import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { certificateNames, ensureCertificate, reuseDecision, selfSigned, wantedNames } from "../../scripts/lib/tls.mjs";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "cc-tls-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

// Each test makes RSA keys (node-forge, pure JavaScript): seconds of CPU on a busy
// 2-core machine, so these get more than Vitest's default 5 s.
describe("the HTTPS certificate", { timeout: 60_000 }, () => {
  it("covers the LAN IPs, loopback, localhost and the host name", async () => {
    const r = await ensureCertificate({ dir, ips: ["192.168.1.20", "10.0.0.5"], hostname: "meeting-laptop" });
    expect(r.created).toBe(true);
    expect(r.method).toBe("self-signed");
    const names = certificateNames(r.cert);
    expect(names.ips.sort()).toEqual(["10.0.0.5", "127.0.0.1", "192.168.1.20"]);
    expect(names.dns.sort()).toEqual(["localhost", "meeting-laptop", "meeting-laptop.local"]);
    expect(names.selfSigned).toBe(true);
    expect(names.validTo.getTime()).toBeGreaterThan(Date.now() + 300 * 24 * 3600 * 1000);
  });

  it("is reused across restarts on the same network", async () => {
    const first = await ensureCertificate({ dir, ips: ["192.168.1.20"], hostname: "host" });
    const second = await ensureCertificate({ dir, ips: ["192.168.1.20"], hostname: "host" });
    expect(second.created).toBe(false);
    expect(second.cert).toBe(first.cert);
    expect(readFileSync(second.keyPath, "utf8")).toBe(first.key);
  });

  it("is regenerated when the LAN IP changes", async () => {
    const first = await ensureCertificate({ dir, ips: ["192.168.1.20"], hostname: "host" });
    const moved = await ensureCertificate({ dir, ips: ["192.168.7.3"], hostname: "host" });
    expect(moved.created).toBe(true);
    expect(moved.reason).toMatch(/192\.168\.7\.3/);
    expect(moved.cert).not.toBe(first.cert);
    expect(certificateNames(moved.cert).ips).toContain("192.168.7.3");
    // …and then kept on the new network.
    expect((await ensureCertificate({ dir, ips: ["192.168.7.3"], hostname: "host" })).created).toBe(false);
  });

  it("is regenerated near expiry, when the key does not match, and for mkcert", async () => {
    const wanted = wantedNames({ ips: ["192.168.1.20"], hostname: "host" });
    const a = await selfSigned(wanted);
    const b = await selfSigned(wanted);
    expect(reuseDecision({ certPem: a.certPem, keyPem: a.keyPem, wanted })).toEqual({ reuse: true });
    const later = new Date(Date.now() + 350 * 24 * 3600 * 1000);
    expect(reuseDecision({ certPem: a.certPem, keyPem: a.keyPem, wanted, now: later })).toMatchObject({ reuse: false });
    expect(reuseDecision({ certPem: a.certPem, keyPem: b.keyPem, wanted })).toMatchObject({ reuse: false });
    expect(reuseDecision({ certPem: a.certPem, keyPem: a.keyPem, wanted, preferTrusted: true })).toMatchObject({ reuse: false });
    expect(reuseDecision({ certPem: null, keyPem: null, wanted })).toMatchObject({ reuse: false });
  });

  it("replaces an unreadable certificate", async () => {
    writeFileSync(join(dir, "cert.pem"), "garbage");
    writeFileSync(join(dir, "key.pem"), "garbage");
    const r = await ensureCertificate({ dir, ips: [], hostname: "host" });
    expect(r.created).toBe(true);
    expect(r.reason).toMatch(/unreadable/);
  });

  it("uses the injected generator (mkcert's place) and keeps its output", async () => {
    const real = await selfSigned(wantedNames({ ips: ["10.1.1.1"], hostname: "h" }));
    let calls = 0;
    const generate = async () => {
      calls++;
      return real;
    };
    await ensureCertificate({ dir, ips: ["10.1.1.1"], hostname: "h", generate });
    await ensureCertificate({ dir, ips: ["10.1.1.1"], hostname: "h", generate });
    expect(calls).toBe(1);
  });
});
