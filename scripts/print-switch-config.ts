/**
 * Prints the switch policy's settings as a Markdown table (env name, default, unit,
 * meaning), for the README. `npx tsx scripts/print-switch-config.ts`
 */
import { DEFAULT_SWITCH_CONFIG, describeSwitchConfig } from "@/lib/switching/config";

const rows = describeSwitchConfig({ ...DEFAULT_SWITCH_CONFIG });
console.log("| variable | default | unit | policy | meaning |");
console.log("|---|---|---|---|---|");
for (const r of rows) {
  console.log(`| \`${r.env}\` | ${String(r.default)} | ${r.unit || "—"} | ${r.policy} | ${r.meaning.replace(/\|/g, "\\|")} |`);
}
