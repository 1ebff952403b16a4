/**
 * The switch policy's settings as a Markdown table (env name, default, unit, meaning).
 *   npx tsx scripts/print-switch-config.ts            print it
 *   npx tsx scripts/print-switch-config.ts --readme   rewrite README.md's table
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_SWITCH_CONFIG, describeSwitchConfig } from "@/lib/switching/config";

const rows = describeSwitchConfig({ ...DEFAULT_SWITCH_CONFIG });
const lines = ["| variable | default | unit | policy | meaning |", "|---|---|---|---|---|"];
for (const r of rows) {
  lines.push(`| \`${r.env}\` | ${String(r.default)} | ${r.unit || "—"} | ${r.policy} | ${r.meaning.replace(/\|/g, "\\|")} |`);
}
const table = lines.join("\n");

if (process.argv.includes("--readme")) {
  const path = join(__dirname, "..", "README.md");
  const readme = readFileSync(path, "utf8");
  const start = "<!-- switch-table:start -->";
  const end = "<!-- switch-table:end -->";
  const a = readme.indexOf(start);
  const b = readme.indexOf(end);
  if (a < 0 || b < a) throw new Error("README.md has no switch-table markers");
  writeFileSync(path, `${readme.slice(0, a + start.length)}\n${table}\n${readme.slice(b)}`);
  console.log("README.md: switch table updated");
} else {
  console.log(table);
}
