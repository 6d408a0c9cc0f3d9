import { afterEach, describe, expect, it } from "vitest";
import { described, inspectedPage } from "../../../src/panel/inspected-page";

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

describe("inspectedPage().evaluate", () => {
  const global = globalThis as { chrome?: unknown };
  afterEach(() => {
    delete global.chrome;
  });

  /** The extension API as the panel meets it: the callback, with runtime.lastError set while it runs. */
  function withEval(answer: { result?: unknown; exception?: object; lastError?: string }) {
    const runtime: { lastError?: { message: string } } = {};
    global.chrome = {
      runtime,
      devtools: {
        inspectedWindow: {
          reload: () => undefined,
          eval: (_expression: string, callback: (result: unknown, exception?: object) => void) => {
            if (answer.lastError) runtime.lastError = { message: answer.lastError };
            callback(answer.result, answer.exception);
            delete runtime.lastError;
          },
        },
      },
    };
    return inspectedPage()?.evaluate("1");
  }

  it("rejects a call that failed outright with the browser's words, not an undefined answer", async () => {
    // Firefox's toolbox, measured: no exception info, only runtime.lastError.
    await expect(withEval({ lastError: "An unexpected error occurred" })).rejects.toThrow(
      "An unexpected error occurred",
    );
  });

  it("rejects the page's exception, and resolves a plain answer", async () => {
    await expect(withEval({ exception: { isException: true, value: "ReferenceError: x" } })).rejects.toThrow(
      "ReferenceError: x",
    );
    await expect(withEval({ result: 42 })).resolves.toBe(42);
  });
});
