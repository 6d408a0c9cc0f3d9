// Node's parseArgs errors in a person's words: the option that is wrong, and the one meant where a
// near miss names it ("--jsn": did you mean --json?). Never Node's own hint about positionals.

/** The message for a parseArgs error; anything else keeps its own message. */
export function optionErrorMessage(error: unknown, known: readonly string[]): string {
  const code = (error as { code?: string } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const named = /'(-{1,2}[^' <=]+)/.exec(message)?.[1];
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && named) {
    const meant = didYouMean(named, known);
    return `Unknown option ${named}.${meant ? ` Did you mean ${meant}?` : ""}`;
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && named)
    return /does not take an argument/.test(message) ? `${named} takes no value.` : `${named} needs a value.`;
  return message;
}

/** The known option closest to `word`, if it is close enough to be a typo (or a prefix of it). */
export function didYouMean(word: string, known: readonly string[]): string | null {
  const bare = word.replace(/^-+/, "").toLowerCase();
  let best: { option: string; distance: number } | null = null;
  for (const option of known) {
    const name = option.replace(/^-+/, "");
    const distance = name.startsWith(bare) && bare.length >= 3 ? 1 : editDistance(bare, name);
    if (!best || distance < best.distance) best = { option, distance };
  }
  const limit = bare.length <= 4 ? 1 : 2;
  return best && best.distance <= limit ? best.option : null;
}

/** Levenshtein distance, with a swap of two neighbours counted once ("--josn"). */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const up = d[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
    }
  return (d[a.length] as number[])[b.length] as number;
}
