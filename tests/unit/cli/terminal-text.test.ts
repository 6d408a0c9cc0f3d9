import { describe, expect, it } from "vitest";
import { terminalText } from "../../../src/cli/terminal-text";

describe("terminalText", () => {
  it("drops control characters, escape sequences' ESC and CSI included, and keeps tabs and newlines", () => {
    expect(terminalText("ok\u001b[2J\u001b]0;pwned\u0007 done\r\n\tnext\u009b31m")).toBe(
      "ok[2J]0;pwned done\n\tnext31m",
    );
  });

  it("cuts a line too long to read, saying how much was left out", () => {
    const text = terminalText(`${"x".repeat(5000)}\nshort`);
    expect(text).toBe(`${"x".repeat(1000)}… (4000 characters more)\nshort`);
  });
});
