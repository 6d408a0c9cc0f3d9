// The words a diagnosis step ends with on its progress line: made from what the step found.
import { howSteady } from "../../format/steady-rate";
import { rate } from "../../format/units";
import type { WebPageEvidence } from "../page/web-page-probe";
import type { SupportResult } from "./support";
import { slowPathWords, type ThroughputFigures } from "./verdict";

/** "http://…: opened on its second try, 2 candidates (here: opened, 4)" */
export function webPageDetail(evidence: WebPageEvidence, page: NonNullable<WebPageEvidence["page"]>): string {
  const tries = evidence.pageFirstTry ? (page.opened ? " on its second try" : " in two tries") : "";
  const count = page.candidates.total;
  const here = `${evidence.extension.opened ? "opened" : "did not open"}, ${evidence.extension.candidates.total}`;
  return `${evidence.origin || "the page"}: ${page.opened ? "opened" : "did not open"}${tries}, ${count} candidate${count === 1 ? "" : "s"} (here: ${here})`;
}

export function throughputDetail(t: ThroughputFigures): string {
  if (!t.steady) return slowPathWords(t) ?? rate(t.bytesPerSecond);
  return `${rate(t.steady.bytesPerSecond)}, ${howSteady(t.steady, t.settings?.messageSize)}`;
}

export function summarizeChecks(checks: SupportResult["checks"]): string {
  const yes = checks.filter((c) => c.status === "yes").length;
  const no = checks.filter((c) => c.status === "no").map((c) => c.id);
  return no.length === 0 ? `${yes} of ${checks.length} supported` : `not working: ${no.join(", ")}`;
}
