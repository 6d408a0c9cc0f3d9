// How the summaries and the comparison write one support check's outcome.
import type { SupportCheck } from "../engine/diagnose/support";

/** "yes", "yes: arraybuffer", "no", "not checked". */
export function supportValue(check: SupportCheck | undefined): string {
  if (!check) return "n/a";
  if (check.status === "yes") return check.value === undefined ? "yes" : `yes: ${String(check.value)}`;
  return check.status === "no" ? "no" : "not checked";
}
