// The automation client against a stand-in frame: the evaluated functions run here, with a fake
// window.loopbackLab, and arguments and results cross as JSON, as they do through Puppeteer.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { LoopbackLabApi } from "../../../src/contract/automation";
import { type LabFrame, lab } from "../../../src/contract/lab-client";

const crossing = <T>(value: T): T => (value === undefined ? value : JSON.parse(JSON.stringify(value)));

function fakeFrame(): LabFrame & { disposed: number } {
  const frame = {
    disposed: 0,
    evaluate: async (fn: (...args: never[]) => unknown, ...args: unknown[]) =>
      crossing(await fn(...(args.map(crossing) as never[]))),
    evaluateHandle: async (fn: () => LoopbackLabApi) => {
      const value = fn();
      return {
        evaluate: async (f: (lab: LoopbackLabApi, ...args: unknown[]) => unknown, ...args: unknown[]) =>
          crossing(await f(value, ...args.map(crossing))),
        dispose: async () => {
          frame.disposed++;
        },
      };
    },
  };
  return frame;
}

class LabError extends Error {
  override readonly name = "LabError";
  constructor(
    readonly code: string,
    message: string,
    readonly finding?: object,
  ) {
    super(message);
  }
}

const calls: unknown[][] = [];
const api = {
  connect: async (...args: unknown[]) => {
    calls.push(["connect", ...args]);
    throw new LabError("connect-failed", "No ICE candidates", { level: "fail", code: "no-interface-up" });
  },
  send: async (text: string) => {
    calls.push(["send", text]);
    if (text === "") throw new LabError("empty-message", "Nothing to send");
    if (text === "plain") throw "a plain rejection";
    return { bytes: text.length };
  },
  runLatency: async (options: object) => {
    calls.push(["runLatency", options]);
    return { samples: 3 };
  },
  report: () => {
    throw new Error("report failed synchronously");
  },
} as unknown as LoopbackLabApi;

const global = globalThis as { window?: unknown };
beforeEach(() => {
  calls.length = 0;
  global.window = { loopbackLab: api };
});
afterEach(() => {
  delete global.window;
});

describe("lab(frame)", () => {
  it("call runs the named method with exactly the arguments given, and resolves with its result", async () => {
    expect(await lab(fakeFrame()).call("runLatency", { samples: 3 })).toEqual({ samples: 3 });
    expect(await lab(fakeFrame()).call("send", "hi")).toEqual({ bytes: 2 });
    await lab(fakeFrame())
      .call("connect")
      .catch(() => undefined);
    expect(calls).toEqual([["runLatency", { samples: 3 }], ["send", "hi"], ["connect"]]);
  });

  it("call rejects as the method does", async () => {
    await expect(lab(fakeFrame()).call("send", "")).rejects.toThrow("Nothing to send");
  });

  it("callCatching resolves a rejection with the error's name, message, code and finding", async () => {
    expect(await lab(fakeFrame()).callCatching("connect", { timeoutMs: 2000 })).toEqual({
      ok: false,
      error: {
        name: "LabError",
        message: "No ICE candidates",
        code: "connect-failed",
        finding: { level: "fail", code: "no-interface-up" },
      },
    });
    expect(await lab(fakeFrame()).callCatching("send", "")).toEqual({
      ok: false,
      error: { name: "LabError", message: "Nothing to send", code: "empty-message" },
    });
    expect(await lab(fakeFrame()).callCatching("send", "plain")).toEqual({
      ok: false,
      error: { name: "Error", message: "a plain rejection" },
    });
    expect(await lab(fakeFrame()).callCatching("send", "ok")).toEqual({ ok: true, value: { bytes: 2 } });
  });

  it("callCatching catches rejections only: a method that throws at once still rejects the call", async () => {
    await expect(lab(fakeFrame()).callCatching("report")).rejects.toThrow("report failed synchronously");
  });

  it("evaluate runs the function with the lab and the arguments given, then lets the handle go", async () => {
    const frame = fakeFrame();
    const result = await lab(frame).evaluate(
      async (lab, texts: string[]) => {
        const sent = [];
        for (const text of texts) sent.push((await lab.send(text)).bytes);
        return sent;
      },
      ["a", "bcd"],
    );
    expect(result).toEqual([1, 3]);
    expect(frame.disposed).toBe(1);
    await expect(
      lab(frame).evaluate(async (lab) => {
        await lab.send("");
      }),
    ).rejects.toThrow("Nothing to send");
    expect(frame.disposed).toBe(2);
  });
});
