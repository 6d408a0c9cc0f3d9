// `npm run diagnose`: launches the browser headless with the built extension, opens the real Loopback
// panel (Chrome: in DevTools; Firefox: the panel bundle as the extension's page, see firefox-panel.ts),
// runs the diagnosis there and prints what it found. Progress goes to stderr, results to stdout.
// Exit status: 0 pass (or warn), 1 a verdict at or past --fail-on or a regression against the
// baseline, 2 usage error or a browser that could not be started.
import { errorMessage } from "../engine/core/errors";
import { diagnoseDump } from "./diagnose-dump";
import { type BrowserRun, diagnoseIn } from "./diagnose-in-browser";
import { type DiagnoseOptions, parseOptions, USAGE } from "./diagnose-options";
import { deliverResults, EXIT } from "./diagnose-results";
import { Progress } from "./progress";
import { terminalText } from "./terminal-text";

async function main(argv: string[]): Promise<number> {
  let options: DiagnoseOptions | "help";
  try {
    options = parseOptions(argv);
  } catch (error) {
    // One line that names the problem; the options are one --help away, not forty lines of noise.
    process.stderr.write(
      `diagnose: ${terminalText(errorMessage(error))}\nRun with --help for the options.\n`,
    );
    return EXIT.usage;
  }
  if (options === "help") {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  const progress = new Progress({
    quiet: options.quiet,
    interactive: process.stderr.isTTY === true,
    write: (text) => process.stderr.write(text),
  });
  const runs: BrowserRun[] = [];
  if (options.dump) runs.push(await diagnoseDump(options.dump, progress));
  else for (const name of options.browsers) runs.push(await diagnoseIn(name, options, progress));
  return deliverResults(runs, options, progress);
}

// Ctrl-C or a CI runner's SIGTERM: stop cleanly, with the usual "interrupted" statuses, no stack trace.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    process.stderr.write(`\ndiagnose: interrupted (${signal}); no report.\n`);
    process.exit(signal === "SIGINT" ? 130 : 143);
  });
}

/** Resolves once everything written so far has left the process (a pipe is written asynchronously). */
const flushed = (stream: NodeJS.WriteStream) =>
  new Promise<void>((resolve) => stream.write("", () => resolve()));

// Exit as soon as the results are out: a browser that never answered may leave a connection
// attempt pending for minutes, and puppeteer kills the browsers it launched on exit.
main(process.argv.slice(2))
  .catch((error: unknown) => {
    process.stderr.write(
      `diagnose: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return EXIT.usage;
  })
  .then(async (code) => {
    await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
    process.exit(code);
  });
