// A finding is one conclusion in plain words. Codes are stable: scripts and the README rely on them.

export type FindingLevel = "pass" | "warn" | "fail";

export interface Finding {
  level: FindingLevel;
  code: string;
  message: string;
  /** What to try next, where that helps. */
  hint?: string;
}
