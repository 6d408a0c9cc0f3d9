// diagnose --dump FILE: a dump someone sent, read here without a browser, into the same report
// and findings the panel gives it. A file that cannot be read, or is not a dump, is the caller's
// problem (exit 2), named in one line.
import { readFileSync, statSync } from "node:fs";
import { basename } from "node:path";
import validateDump from "virtual:internals-dump-validator";
import { errorMessage } from "../engine/core/errors";
import { MAX_DUMP_BYTES, readDumpFile } from "../engine/dump/dump-file";
import { openedDump } from "../engine/dump/dump-watch";
import { dumpReport } from "../report/dump-report";
import type { BrowserRun } from "./diagnose-in-browser";
import type { Progress } from "./progress";
import { terminalText } from "./terminal-text";

export async function diagnoseDump(file: string, progress: Progress): Promise<BrowserRun> {
  const started = Date.now();
  const refused = (why: string): BrowserRun => {
    const problem = `--dump ${file}: ${why}`;
    process.stderr.write(`${terminalText(problem)}\n`);
    return {
      name: "dump",
      reports: [],
      junit: [{ name: "dump", report: null, problem, steps: [], durationMs: 0 }],
      problem,
    };
  };
  let bytes: Uint8Array;
  try {
    // Refused before it is read: the cap is on the unpacked size, and a packed file is never larger.
    if (statSync(file).size > MAX_DUMP_BYTES)
      return refused(`larger than ${MAX_DUMP_BYTES / 1024 / 1024} MB, the most that is read.`);
    bytes = readFileSync(file);
  } catch (error) {
    return refused(`cannot be read (${errorMessage(error)}).`);
  }
  progress.say(`Reading the dump ${basename(file)}`);
  try {
    const opened = openedDump(basename(file), await readDumpFile(bytes, validateDump));
    const report = dumpReport(opened);
    return {
      name: "dump",
      reports: [report],
      junit: [{ name: "dump", report, steps: [], durationMs: Date.now() - started }],
    };
  } catch (error) {
    return refused(errorMessage(error));
  }
}
