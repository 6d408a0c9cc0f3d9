// How the summaries and the comparison write a report's figures: units always stated, MB = 10^6 bytes.
import type { SupportCheck } from "../engine/diagnose/support";

export const megabytesPerSecond = (bytesPerSecond: number) => `${(bytesPerSecond / 1e6).toFixed(2)} MB/s`;

export const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;

export function milliseconds(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return "n/a";
  return `${ms < 10 ? ms.toFixed(2) : ms.toFixed(1)} ms`;
}

export const count = (n: number) => Math.round(n).toLocaleString("en");

/** "yes", "yes: arraybuffer", "no", "not checked". */
export function supportValue(check: SupportCheck | undefined): string {
  if (!check) return "n/a";
  if (check.status === "yes") return check.value === undefined ? "yes" : `yes: ${String(check.value)}`;
  return check.status === "no" ? "no" : "not checked";
}
