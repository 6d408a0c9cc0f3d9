// The finding-code and threshold tables in docs/FINDINGS.md are what people and scripts read: they must
// say exactly what the catalogue and THRESHOLDS say, so this fails whenever one changes without the other.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FINDINGS } from "../../../src/contract/findings";
import { THRESHOLDS } from "../../../src/engine/diagnose/thresholds";

const doc = readFileSync(join(import.meta.dirname, "..", "..", "..", "docs", "FINDINGS.md"), "utf8");

/** The rows of the first Markdown table after `heading`, split into trimmed cells (escaped pipes kept). */
function tableAfter(heading: string): string[][] {
  const start = doc.indexOf(heading);
  if (start < 0) throw new Error(`docs/FINDINGS.md has no "${heading}" section`);
  const lines = doc.slice(start).split("\n");
  const first = lines.findIndex((line) => line.startsWith("|"));
  const rows: string[][] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith("|")) break;
    rows.push(
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim().replace(/\\\|/g, "|")),
    );
  }
  return rows;
}

describe("the tables in docs/FINDINGS.md", () => {
  it("lists every finding code once, with the catalogue's level and meaning", () => {
    const rows = tableAfter("## Finding codes").map(([code, level, meaning]) => ({
      code: code?.replace(/`/g, ""),
      level,
      meaning,
    }));
    const catalogue = Object.entries(FINDINGS).map(([code, entry]) => ({
      code,
      level: entry.level,
      meaning: entry.summary,
    }));
    expect(rows).toEqual(catalogue);
  });

  it("states each threshold's value, side and code as THRESHOLDS does", () => {
    const rows = tableAfter("## Thresholds that decide warn versus pass").map(([, warns, code]) => {
      const match = /^(above|below) ([\d,]+) /.exec(warns ?? "");
      return {
        warnWhen: match?.[1],
        value: Number(match?.[2]?.replace(/,/g, "")),
        code: code?.replace(/`/g, ""),
      };
    });
    const table = Object.values(THRESHOLDS).map(({ warnWhen, value, code }) => ({ warnWhen, value, code }));
    expect(rows).toEqual(table);
  });

  it("gives every threshold's code a catalogue entry at warn level", () => {
    for (const threshold of Object.values(THRESHOLDS)) expect(FINDINGS[threshold.code].level).toBe("warn");
  });
});
