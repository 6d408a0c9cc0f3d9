// The shape src/ is held to where no linter rule reaches: a class of at most 250 lines (Biome holds
// functions to 80 lines and files to 400, see biome.json).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const MAX_CLASS_LINES = 250;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** Top-level classes and their length: from the declaration to the first line that is only "}". */
function classLengths(path: string): { name: string; lines: number }[] {
  const lines = readFileSync(path, "utf8").split("\n");
  return lines.flatMap((line, i) => {
    const declared = /^(?:export )?(?:abstract )?class (\w+)/.exec(line);
    if (!declared) return [];
    const end = lines.findIndex((l, j) => j > i && l === "}");
    return [{ name: `${path} ${declared[1]}`, lines: end - i + 1 }];
  });
}

describe("the shape of src/", () => {
  it(`has no class over ${MAX_CLASS_LINES} lines`, () => {
    const all = sources("src").flatMap(classLengths);
    expect(all.length).toBeGreaterThan(10);
    expect(all.filter((c) => c.lines > MAX_CLASS_LINES)).toEqual([]);
  });
});
