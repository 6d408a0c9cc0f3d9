import { describe, expect, it } from "vitest";
import { described } from "../../../src/panel/inspected-page";

describe("described", () => {
  it("fills Chrome's %s placeholders from the exception's details", () => {
    // What inspectedWindow.eval gives on about:blank, measured in Chromium 156.
    expect(
      described({ isError: true, description: "Operation failed: %s", details: ["Permission denied"] }),
    ).toBe("Operation failed: Permission denied");
    expect(described({ description: "Inspected frame has gone" })).toBe("Inspected frame has gone");
    expect(described({})).toBeUndefined();
  });
});
