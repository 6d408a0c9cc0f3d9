// Errors in people's words, whatever shape they arrive in.
import { describe, expect, it } from "vitest";
import { errorMessage, within } from "../../../../src/engine/core/errors";

describe("errorMessage", () => {
  it("gives an Error's message and a string as it is", () => {
    expect(errorMessage(new TypeError("bad"))).toBe("bad");
    expect(errorMessage("plain")).toBe("plain");
    expect(errorMessage(undefined)).toBe("undefined");
  });

  it("never says [object Object] for the plain objects some failures are", () => {
    expect(errorMessage({ message: "connect ECONNREFUSED 127.0.0.1:9222" })).toBe(
      "connect ECONNREFUSED 127.0.0.1:9222",
    );
    expect(errorMessage({ type: "error", error: new Error("socket hang up") })).toBe("socket hang up");
    expect(errorMessage({ type: "error" })).toBe("error (no message)");
    expect(errorMessage({ code: 7 })).toBe('{"code":7}');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(errorMessage(cyclic)).toBe("an error with no message");
  });
});

describe("within", () => {
  it("gives the promise's outcome when it comes first, and the late error when the bound does", async () => {
    await expect(within(Promise.resolve(7), 1000, () => new Error("late"))).resolves.toBe(7);
    await expect(within(Promise.reject(new Error("own")), 1000, () => new Error("late"))).rejects.toThrow(
      "own",
    );
    const started = Date.now();
    await expect(within(new Promise(() => undefined), 30, () => new Error("late"))).rejects.toThrow("late");
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
