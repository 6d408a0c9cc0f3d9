// Reads a dump in the panel's worker (dump-worker.ts), one worker per file, ended once it answers
// or after DUMP_READ_TIMEOUT_MS: the bound the person is told is the one that holds.

import { LabError } from "../engine/core/errors";
import type { DumpContents } from "../engine/dump/internals-dump";

export type DumpAnswer = { ok: true; contents: DumpContents } | { ok: false; message: string };

const DUMP_READ_TIMEOUT_MS = 60_000;

export function readDumpInWorker(bytes: Uint8Array): Promise<DumpContents> {
  const worker = new Worker("dump-worker.js");
  return new Promise<DumpContents>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(
        new LabError(
          "timeout",
          `Reading the dump took longer than ${DUMP_READ_TIMEOUT_MS / 1000} s; it was stopped.`,
        ),
      );
    }, DUMP_READ_TIMEOUT_MS);
    worker.onmessage = (event: MessageEvent<DumpAnswer>) => {
      clearTimeout(timer);
      if (event.data.ok) resolve(event.data.contents);
      else reject(new LabError("invalid-option", event.data.message));
    };
    worker.onerror = (event) => {
      clearTimeout(timer);
      event.preventDefault();
      reject(new LabError("invalid-option", "The dump could not be read: the reader stopped with an error."));
    };
    worker.postMessage(bytes, [bytes.buffer]);
  }).finally(() => worker.terminate());
}
