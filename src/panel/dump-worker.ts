// The worker a dump is read in: unpacking, parsing and reading a file of tens of megabytes takes
// seconds, and none of it may block the panel. It gets the file's bytes and answers once.
import validate from "virtual:internals-dump-validator";
import { errorMessage } from "../engine/core/errors";
import { readDumpFile } from "../engine/dump/dump-file";
import type { DumpAnswer } from "./dump-reader";

const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<Uint8Array>) => void) | null;
  postMessage(answer: DumpAnswer): void;
};

scope.onmessage = (event) => {
  readDumpFile(event.data, validate).then(
    (contents) => scope.postMessage({ ok: true, contents }),
    (error: unknown) => scope.postMessage({ ok: false, message: errorMessage(error) }),
  );
};
