import { describe, expect, it } from "vitest";
import { isWorse, LEVEL_TAGS, LEVEL_WORDS, levelOf, reaches, worstLevel } from "../../../src/contract/levels";

describe("levels", () => {
  it("orders pass, warn, fail, and finds the worst of several", () => {
    expect(worstLevel([])).toBe("pass");
    expect(worstLevel(["warn", "pass"])).toBe("warn");
    expect(levelOf([{ level: "pass" }, { level: "fail" }, { level: "warn" }])).toBe("fail");
    expect(isWorse("warn", "pass")).toBe(true);
    expect(isWorse("warn", "warn")).toBe(false);
  });

  it("gates at a threshold inclusively, as --fail-on does", () => {
    expect(reaches("warn", "warn")).toBe(true);
    expect(reaches("warn", "fail")).toBe(false);
    expect(reaches("fail", "warn")).toBe(true);
  });

  it("has words and tags for every level", () => {
    expect(Object.keys(LEVEL_WORDS)).toEqual(Object.keys(LEVEL_TAGS));
  });
});
