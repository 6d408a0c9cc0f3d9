// One home for levels: pass, warn and fail, their order, the worst of several, and their words.

export type Level = "pass" | "warn" | "fail";

const RANK: Readonly<Record<Level, number>> = { pass: 0, warn: 1, fail: 2 };

/** The worst of several levels; pass for none. */
export function worstLevel(levels: Iterable<Level>): Level {
  let worst: Level = "pass";
  for (const level of levels) if (RANK[level] > RANK[worst]) worst = level;
  return worst;
}

/** The worst level among findings; pass when there are none to worry about. */
export function levelOf(findings: Iterable<{ readonly level: Level }>): Level {
  const levels: Level[] = [];
  for (const f of findings) levels.push(f.level);
  return worstLevel(levels);
}

/** True when `level` is `threshold` or worse (a --fail-on gate, a regression). */
export function reaches(level: Level, threshold: Level): boolean {
  return RANK[level] >= RANK[threshold];
}

/** True when `level` is strictly worse than `than`. */
export function isWorse(level: Level, than: Level): boolean {
  return RANK[level] > RANK[than];
}

/** How the panel names a level. */
export const LEVEL_WORDS: Readonly<Record<Level, string>> = { pass: "Pass", warn: "Warning", fail: "Fail" };

/** How printed summaries tag a level. */
export const LEVEL_TAGS: Readonly<Record<Level, string>> = { pass: "PASS", warn: "WARN", fail: "FAIL" };
