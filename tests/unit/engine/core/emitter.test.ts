// The engine's events: named, typed, each listener hearing only what it subscribed to, and removable.
import { describe, expect, it, vi } from "vitest";
import { Emitter } from "../../../../src/engine/core/emitter";

interface Events {
  tick: number;
  word: string;
}

describe("Emitter", () => {
  it("delivers each event only to the listeners of its name", () => {
    const events = new Emitter<Events>();
    const ticks: number[] = [];
    const words: string[] = [];
    events.on("tick", (n) => ticks.push(n));
    events.on("word", (w) => words.push(w));
    events.emit("tick", 1);
    events.emit("word", "open");
    events.emit("tick", 2);
    expect(ticks).toEqual([1, 2]);
    expect(words).toEqual(["open"]);
  });

  it("removes a listener by the returned function or by an aborted signal", () => {
    const events = new Emitter<Events>();
    const heard: number[] = [];
    const off = events.on("tick", (n) => heard.push(n));
    const stop = new AbortController();
    events.on("tick", (n) => heard.push(n * 10), stop.signal);
    events.emit("tick", 1);
    off();
    stop.abort();
    events.emit("tick", 2);
    expect(heard).toEqual([1, 10]);
    expect(events.listenerCount("tick")).toBe(0);
  });

  it("does not subscribe at all with a signal already aborted", () => {
    const events = new Emitter<Events>();
    events.on("tick", () => undefined, AbortSignal.abort());
    expect(events.listenerCount("tick")).toBe(0);
  });

  it("keeps notifying the others when one listener throws", () => {
    const events = new Emitter<Events>();
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const heard: number[] = [];
    events.on("tick", () => {
      throw new Error("broken view");
    });
    events.on("tick", (n) => heard.push(n));
    events.emit("tick", 7);
    expect(heard).toEqual([7]);
    expect(error).toHaveBeenCalledOnce();
    error.mockRestore();
  });
});
