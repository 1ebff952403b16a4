/** axe-core in the real browser, as tests/e2e/a11y.spec.ts runs it: the serious and critical violations. */
import { readFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import type { AxeResults, Result } from "axe-core";

const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/** Run axe on the page as it is now; the serious and critical violations, one line each per element. */
export async function seriousViolations(page: Page): Promise<string[]> {
  // A string evaluated by the driver, not a <script>: the page's CSP can't refuse it.
  await page.evaluate(AXE_SOURCE);
  const results = (await page.evaluate(() =>
    (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<AxeResults> } }).axe.run(document, {
      resultTypes: ["violations"],
    }),
  )) as AxeResults;
  return results.violations
    .filter((v: Result) => v.impact === "serious" || v.impact === "critical")
    .flatMap((v: Result) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(" ")} — ${n.failureSummary ?? v.help}`));
}
