import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { dependenciesStale } from "../../scripts/lib/bootstrap.mjs";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A checkout with package.json and the lock written at `t`, and npm's record of an install at `installedAt`. */
function checkout(t: number, installedAt: number | null): string {
  const root = mkdtempSync(join(tmpdir(), "cc-deps-"));
  dirs.push(root);
  for (const f of ["package.json", "package-lock.json"]) {
    writeFileSync(join(root, f), "{}");
    utimesSync(join(root, f), t, t);
  }
  if (installedAt !== null) {
    mkdirSync(join(root, "node_modules"));
    writeFileSync(join(root, "node_modules", ".package-lock.json"), "{}");
    utimesSync(join(root, "node_modules", ".package-lock.json"), installedAt, installedAt);
  }
  return root;
}

describe("when the bootstrap runs npm ci", () => {
  it("on a fresh clone (nothing installed) and after the lock or package.json changed", () => {
    expect(dependenciesStale(checkout(1000, null))).toBe(true);
    expect(dependenciesStale(checkout(2000, 1000))).toBe(true);
    const pulled = checkout(1000, 1500);
    utimesSync(join(pulled, "package.json"), 2000, 2000);
    expect(dependenciesStale(pulled)).toBe(true);
  });

  it("not when node_modules was installed after the lock", () => {
    expect(dependenciesStale(checkout(1000, 1500))).toBe(false);
  });
});

describe("the lock", () => {
  it("carries every platform's optional packages, so npm ci installs them on any machine", async () => {
    const lock = (await import("../../package-lock.json", { with: { type: "json" } })).default as {
      packages: Record<string, { optionalDependencies?: Record<string, string> }>;
    };
    const pk = lock.packages;
    // Node's lookup: the package's own node_modules, then each parent's, then the root's.
    const found = (from: string, name: string): boolean => {
      for (let base = from; ; ) {
        if (pk[`${base ? `${base}/` : ""}node_modules/${name}`]) return true;
        if (!base) return false;
        const i = base.lastIndexOf("/node_modules/");
        base = i < 0 ? "" : base.slice(0, i);
      }
    };
    const missing = Object.entries(pk).flatMap(([path, e]) => Object.keys(e.optionalDependencies ?? {}).filter((d) => !found(path, d)).map((d) => `${path} -> ${d}`));
    expect(missing).toEqual([]);
    // The ones a Mac or Windows clone needs, by name.
    for (const p of ["@next/swc-darwin-arm64", "@next/swc-win32-x64-msvc", "@tailwindcss/oxide-darwin-arm64", "@tailwindcss/oxide-win32-x64-msvc", "@unrs/resolver-binding-darwin-arm64"]) {
      expect(pk[`node_modules/${p}`], p).toBeDefined();
    }
  });
});
