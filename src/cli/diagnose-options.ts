// The diagnose command's options: parsed and checked in one place, each mistake one clear message.
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { type ParseArgsConfig, parseArgs } from "node:util";
import validateReport from "virtual:report-validator";
import { THRESHOLDS, type ThresholdName } from "../engine/diagnose/thresholds";
import { DEFAULT_TOLERANCES, type Tolerances } from "../report/baseline";
import { MAX_REPORT_BYTES, parseReport } from "../report/open-report";
import type { Report } from "../report/report";
import type { BrowserName, NetworkMode } from "./browsers";
import { readIceServers } from "./ice-servers-option";
import { optionErrorMessage } from "./option-errors";
import { terminalText } from "./terminal-text";

export const USAGE = `Usage: npm run diagnose -- [options]
       npx webrtc-loopback-lab diagnose [options]

Runs the WebRTC Loopback Lab diagnosis in a headless browser with the built extension and prints
the verdict, findings, throughput, latency and the timeline's key moments. Results go to stdout,
progress to stderr.

Options:
  --browser chrome|firefox|all   Which browser (default chrome); all runs each and prints them side by side.
  --json                         Print only the report as JSON on stdout (an array for --browser all).
  --out FILE                     Also write the report as JSON to FILE.
  --fail-on warn|fail            Exit 1 when the verdict is at least this bad (default fail).
  --baseline FILE                Compare with a saved report; exit 1 when a finding got worse or a
                                 figure crossed a tolerance (--max-drop, --max-latency-factor).
  --max-drop PERCENT             Throughput may fall this much below the baseline's (default ${DEFAULT_TOLERANCES.maxDropPercent}).
  --max-latency-factor N         The p95 round trip may grow to N times the baseline's (default ${DEFAULT_TOLERANCES.maxLatencyFactor}).
  --junit FILE                   Write JUnit XML: a test case per step, support check and finding.
  --repeat N                     Run the diagnosis N times in one browser session (1 to 20) and report
                                 each figure's median and spread, and whether the runs agree.
  --threshold NAME=VALUE         Judge by another threshold value (repeatable); NAME is one of
                                 ${Object.keys(THRESHOLDS).join(", ")}.
  --ice-servers FILE             Also check these STUN and TURN servers (RTCIceServer[] JSON): per URL
                                 and transport, the candidates gathered and a relay-only connection.
                                 LOOPBACK_LAB_ICE_SERVERS may hold the JSON instead, so credentials
                                 stay out of shell history. Credentials never reach the output.
  --allow-loopback               Let the browser use loopback (127.0.0.1) ICE candidates, for machines
                                 meant to be loopback-only. Off by default: users' browsers cannot, so
                                 the diagnosis would not be theirs. The report says it was on, and a
                                 channel that opened only over loopback gets the loopback-only warning.
  --browser-arg ARG              Start Chromium with this extra argument too (repeatable), to reproduce a
                                 user's setting; named in the report's launchedWith.
  --firefox-pref NAME=VALUE      Start Firefox with this preference set (repeatable; VALUE true, false,
                                 a whole number or text); named in the report's launchedWith.
  --dump FILE                    Read a chrome://webrtc-internals dump (or an rtcstats dump) someone sent,
                                 gzip or plain, and print the findings for each of its peer connections
                                 without starting a browser. --json, --out, --junit and --fail-on apply.
  --network inherit|offline      offline runs Chrome in a network namespace with every interface down
                                 (needs root; for testing the failure path). Default inherit.
  --quiet                        No progress on stderr (problems are still reported).
  -h, --help                     Show this help.

Browsers: LOOPBACK_LAB_CHROME and LOOPBACK_LAB_FIREFOX name the executables to use.
Exit status: 0 pass (or warn, unless --fail-on warn), 1 a failing verdict, a failing ICE-server
check or a regression against the baseline, 2 usage error or a browser that could not be started.`;

/** A problem with how the command was called (exit 2), with a message for people. */
class UsageError extends Error {}

export interface DiagnoseOptions {
  browsers: BrowserName[];
  json: boolean;
  out: string | undefined;
  network: NetworkMode;
  quiet: boolean;
  failOn: "warn" | "fail";
  baseline: Report[] | null;
  tolerances: Tolerances;
  junit: string | undefined;
  repeat: number;
  thresholds: Partial<Record<ThresholdName, number>>;
  /** Checked before any browser starts; null when no servers were given. */
  iceServers: RTCIceServer[] | null;
  allowLoopback: boolean;
  /** --browser-arg: extra Chromium arguments, as given. */
  browserArgs: string[];
  /** --firefox-pref: extra Firefox preferences. */
  firefoxPrefs: Record<string, string | number | boolean>;
  /** --dump FILE: read this dump instead of running a browser; null otherwise. */
  dump: string | null;
}

/** A folder that exists for a file the command will write. */
function writableFile(option: string, file: string): string {
  const folder = dirname(resolve(file));
  if (file === "" || !existsSync(folder) || !statSync(folder).isDirectory())
    throw new UsageError(`${option} ${JSON.stringify(file)}: the folder ${folder} does not exist.`);
  return file;
}

function positiveNumber(option: string, text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value <= 0)
    throw new UsageError(`${option} takes a positive number, not "${text}".`);
  return value;
}

function readBaseline(file: string): Report[] {
  let text: string;
  try {
    if (statSync(file).size > MAX_REPORT_BYTES)
      throw new UsageError(`--baseline ${file}: too large to be a report.`);
    text = readFileSync(file, "utf8");
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--baseline ${file}: cannot be read (${(error as Error).message}).`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`--baseline ${file}: not JSON.`);
  }
  const reports = Array.isArray(parsed) ? parsed : [parsed];
  return reports.map((r, i) => {
    const opened = parseReport(JSON.stringify(r), validateReport);
    if (!opened.ok)
      throw new UsageError(`--baseline ${file}${Array.isArray(parsed) ? ` [${i}]` : ""}: ${opened.message}`);
    return opened.report;
  });
}

const OPTIONS = {
  browser: { type: "string" },
  json: { type: "boolean", default: false },
  out: { type: "string" },
  network: { type: "string", default: "inherit" },
  quiet: { type: "boolean", default: false },
  "fail-on": { type: "string", default: "fail" },
  baseline: { type: "string" },
  "max-drop": { type: "string" },
  "max-latency-factor": { type: "string" },
  junit: { type: "string" },
  repeat: { type: "string", default: "1" },
  threshold: { type: "string", multiple: true, default: [] as string[] },
  "ice-servers": { type: "string" },
  "allow-loopback": { type: "boolean", default: false },
  "browser-arg": { type: "string", multiple: true, default: [] as string[] },
  "firefox-pref": { type: "string", multiple: true, default: [] as string[] },
  dump: { type: "string" },
  help: { type: "boolean", short: "h", default: false },
} satisfies ParseArgsConfig["options"];

function parseDiagnoseArgs(argv: string[]) {
  return parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: true });
}

export function parseOptions(argv: string[]): DiagnoseOptions | "help" {
  let parsed: ReturnType<typeof parseDiagnoseArgs>;
  try {
    parsed = parseDiagnoseArgs(argv);
  } catch (error) {
    throw new UsageError(
      optionErrorMessage(
        error,
        Object.keys(OPTIONS).map((name) => `--${name}`),
      ),
    );
  }
  const { values, positionals } = parsed;
  if (values.help) return "help";
  // `npx webrtc-loopback-lab diagnose …`: the command's name may come first.
  const rest = positionals[0] === "diagnose" ? positionals.slice(1) : positionals;
  if (rest.length > 0) throw new UsageError(`Unexpected argument "${rest[0]}".`);
  if (values.dump !== undefined) refuseWithDump(values);
  const browser = values.browser ?? "chrome";
  if (browser !== "chrome" && browser !== "firefox" && browser !== "all")
    throw new UsageError(`--browser must be chrome, firefox or all, not "${browser}".`);
  const network = values.network;
  if (network !== "inherit" && network !== "offline")
    throw new UsageError(`--network must be inherit or offline, not "${network}".`);
  const failOn = values["fail-on"];
  if (failOn !== "warn" && failOn !== "fail")
    throw new UsageError(`--fail-on must be warn or fail, not "${failOn}".`);
  const repeat = Number(values.repeat);
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > 20)
    throw new UsageError(`--repeat takes a whole number from 1 to 20, not "${values.repeat}".`);
  const thresholds: Partial<Record<ThresholdName, number>> = {};
  for (const pair of values.threshold) {
    const [name, value] = pair.split("=");
    if (!name || value === undefined || !Object.hasOwn(THRESHOLDS, name))
      throw new UsageError(
        `--threshold takes NAME=VALUE with NAME one of ${Object.keys(THRESHOLDS).join(", ")}; got "${pair}".`,
      );
    thresholds[name as ThresholdName] = positiveNumber(`--threshold ${name}`, value);
  }
  const browserArgs = values["browser-arg"];
  for (const arg of browserArgs)
    if (!/^--[a-z0-9]/i.test(arg) || arg.length > 1000)
      throw new UsageError(
        `--browser-arg takes a Chromium argument starting with --, such as --browser-arg=--disable-gpu; got "${terminalText(arg)}".`,
      );
  if (browserArgs.length > 0 && browser === "firefox")
    throw new UsageError("--browser-arg is for Chromium; for Firefox use --firefox-pref NAME=VALUE.");
  const firefoxPrefs = Object.fromEntries(values["firefox-pref"].map(firefoxPref));
  if (values["firefox-pref"].length > 0 && browser === "chrome")
    throw new UsageError("--firefox-pref is for Firefox: add --browser firefox (or all).");
  return {
    browsers: browser === "all" ? ["chrome", "firefox"] : [browser],
    json: values.json,
    out: values.out === undefined ? undefined : writableFile("--out", values.out),
    network,
    quiet: values.quiet,
    failOn,
    baseline: values.baseline === undefined ? null : readBaseline(values.baseline),
    tolerances: {
      maxDropPercent:
        values["max-drop"] === undefined
          ? DEFAULT_TOLERANCES.maxDropPercent
          : positiveNumber("--max-drop", values["max-drop"]),
      maxLatencyFactor:
        values["max-latency-factor"] === undefined
          ? DEFAULT_TOLERANCES.maxLatencyFactor
          : positiveNumber("--max-latency-factor", values["max-latency-factor"]),
    },
    junit: values.junit === undefined ? undefined : writableFile("--junit", values.junit),
    repeat,
    thresholds,
    allowLoopback: values["allow-loopback"],
    browserArgs,
    firefoxPrefs,
    iceServers: usage(() => readIceServers(values["ice-servers"], process.env.LOOPBACK_LAB_ICE_SERVERS)),
    dump: values.dump === undefined ? null : readableFile("--dump", values.dump),
  };
}

/** NAME=VALUE as Firefox takes it: true and false as booleans, whole numbers as integers, else text. */
function firefoxPref(pair: string): [string, string | number | boolean] {
  const at = pair.indexOf("=");
  const name = pair.slice(0, at);
  if (at < 1 || !/^[\w.-]{1,200}$/.test(name))
    throw new UsageError(
      `--firefox-pref takes NAME=VALUE, such as media.peerconnection.ice.proxy_only=true; got "${terminalText(pair)}".`,
    );
  const value = pair.slice(at + 1);
  if (value === "true" || value === "false") return [name, value === "true"];
  return [name, /^-?\d{1,15}$/.test(value) ? Number(value) : value];
}

/** --dump reads a file and starts no browser: the options of a browser run would be silently ignored. */
function refuseWithDump(values: Record<string, unknown>): void {
  const browserOnly: [string, boolean][] = [
    ["--browser", values.browser !== undefined],
    ["--repeat", values.repeat !== "1"],
    ["--baseline", values.baseline !== undefined],
    ["--ice-servers", values["ice-servers"] !== undefined],
    ["--allow-loopback", values["allow-loopback"] === true],
    ["--browser-arg", (values["browser-arg"] as string[]).length > 0],
    ["--firefox-pref", (values["firefox-pref"] as string[]).length > 0],
    ["--network", values.network !== "inherit"],
    ["--threshold", (values.threshold as string[]).length > 0],
  ];
  const clash = browserOnly.find(([, given]) => given)?.[0];
  if (clash)
    throw new UsageError(`--dump reads a file and starts no browser: ${clash} does not apply to it.`);
}

/** A file that exists and can be read. */
function readableFile(option: string, file: string): string {
  try {
    if (!statSync(file).isFile()) throw new UsageError(`${option} ${JSON.stringify(file)}: not a file.`);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${option} ${JSON.stringify(file)}: no such file.`);
  }
  return file;
}

/** Runs a reader whose mistakes are the caller's: they become usage errors (exit 2). */
function usage<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
