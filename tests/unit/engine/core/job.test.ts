import { describe, expect, it } from "vitest";
import { type JobContext, JobGate, jobOf } from "../../../../src/engine/core/job";

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe("Job", () => {
  it("runs one at a time, says when it is busy, and keeps the last result", async () => {
    const gate = deferred<string>();
    const job = jobOf("The test job", (_: undefined, context: JobContext<number>) => {
      context.progress(1);
      return gate.promise;
    });
    const heard: string[] = [];
    job.events.on("busy", (busy) => heard.push(`busy ${busy}`));
    job.events.on("progress", (p) => heard.push(`progress ${p}`));
    job.events.on("result", (r) => heard.push(`result ${r}`));
    const running = job.run(undefined);
    expect(job.busy).toBe(true);
    expect(job.running).toBe(running);
    await expect(job.run(undefined)).rejects.toThrow(/The test job is going on/);
    gate.resolve("done");
    await expect(running).resolves.toBe("done");
    expect(job.busy).toBe(false);
    expect(job.last).toBe("done");
    expect(heard).toEqual(["busy true", "progress 1", "result done", "busy false"]);
  });

  it("turns a check that throws into the run's rejection and is idle again", async () => {
    const job = jobOf("The test job", async (n: number) => {
      if (n < 0) throw new Error("negative");
      return n;
    });
    await expect(job.run(-1)).rejects.toThrow("negative");
    expect(job.busy).toBe(false);
    await expect(job.run(2)).resolves.toBe(2);
  });

  it("cancels through the signal, with a cancelled LabError as the reason", async () => {
    const job = jobOf(
      "The test job",
      (_: undefined, { signal }) =>
        new Promise<string>((resolve) =>
          signal.addEventListener("abort", () => resolve(`stopped: ${(signal.reason as Error).message}`)),
        ),
    );
    const running = job.run(undefined);
    job.cancel();
    await expect(running).resolves.toBe("stopped: Stopped.");
  });

  it("excludes the other jobs behind the same gate, naming the one that runs", async () => {
    const gate = new JobGate();
    const hold = deferred<void>();
    const first = jobOf("A throughput run", () => hold.promise, gate);
    const second = jobOf("The diagnosis", async () => undefined, gate);
    const running = first.run(undefined);
    await expect(second.run(undefined)).rejects.toThrow(
      "A throughput run is going on; stop it (Stop) or wait for it to end, then try again.",
    );
    hold.resolve();
    await running;
    await expect(second.run(undefined)).resolves.toBeUndefined();
  });
});
