// Test fixture: a real TURN server (Debian's coturn) on the test network's 192.0.2.1, with long-term
// credentials, on UDP and TCP 3478 and TLS 5349 (a throwaway self-signed certificate made by openssl).
// Only inside the hermetic network namespace (tests/hermetic.mjs): nothing outside this machine is
// ever contacted, and nothing listens outside the test.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const TURN_HOST = "192.0.2.1";
export const TURN_PORT = 3478;
export const TURNS_PORT = 5349;
/** A port nothing listens on, for the unreachable checks. */
export const CLOSED_PORT = 3999;
export const TURN_USER = "lab";
/** Distinctive, so a test can search every output for it. */
export const TURN_SECRET = "s3cret-Turn-Credential-7c1e";

export interface TurnServer {
  /** The server's self-signed certificate (PEM file). */
  certificate: string;
  log(): string;
  stop(): void;
}

/** Why the TURN tests cannot run here, or "" when they can. */
export function turnUnavailableReason(): string {
  if (process.env.LOOPBACK_LAB_NETNS !== "hermetic")
    return "needs the hermetic network namespace (run through tests/hermetic.mjs)";
  for (const tool of ["turnserver", "openssl"]) {
    try {
      execFileSync("sh", ["-c", `command -v ${tool}`], { stdio: "ignore" });
    } catch {
      return `needs ${tool} (Debian's coturn and openssl)`;
    }
  }
  return "";
}

export async function startTurnServer(): Promise<TurnServer> {
  const dir = mkdtempSync(join(tmpdir(), "lab-turn-"));
  const cert = join(dir, "cert.pem");
  const key = join(dir, "key.pem");
  execFileSync(
    "openssl",
    ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", `/CN=${TURN_HOST}`].concat([
      "-addext",
      `subjectAltName=IP:${TURN_HOST}`,
      "-keyout",
      key,
      "-out",
      cert,
    ]),
    { stdio: "ignore" },
  );
  const config = [
    `listening-ip=${TURN_HOST}`,
    `relay-ip=${TURN_HOST}`,
    `listening-port=${TURN_PORT}`,
    `tls-listening-port=${TURNS_PORT}`,
    "min-port=49200",
    "max-port=49400",
    "lt-cred-mech",
    `user=${TURN_USER}:${TURN_SECRET}`,
    "realm=loopback.test",
    "fingerprint",
    `cert=${cert}`,
    `pkey=${key}`,
    "no-dtls",
    "no-cli",
    "no-software-attribute",
    "simple-log",
    "log-file=stdout",
    `pidfile=${join(dir, "turnserver.pid")}`,
  ].join("\n");
  const configFile = join(dir, "turnserver.conf");
  writeFileSync(configFile, `${config}\n`);
  let output = "";
  const child: ChildProcess = spawn("turnserver", ["-c", configFile], { stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const stop = () => {
    if (child.exitCode === null) child.kill("SIGKILL");
  };
  try {
    await waitForPort(TURN_HOST, TURN_PORT, 10_000);
    await waitForPort(TURN_HOST, TURNS_PORT, 10_000);
  } catch (error) {
    stop();
    throw new Error(`coturn did not start: ${(error as Error).message}\n${output}`);
  }
  return { certificate: cert, log: () => output, stop };
}

async function waitForPort(host: string, port: number, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host, port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (open) return;
    if (Date.now() > until) throw new Error(`nothing listened on ${host}:${port} within ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * A HOME whose NSS database trusts the TURN server's certificate, for Chromium on Linux (it reads
 * $HOME/.pki/nssdb): the test's own store, so nothing outside the test changes. Null without certutil.
 */
export function homeTrusting(certificate: string): string | null {
  try {
    execFileSync("sh", ["-c", "command -v certutil"], { stdio: "ignore" });
  } catch {
    return null;
  }
  const home = mkdtempSync(join(tmpdir(), "lab-home-"));
  const db = join(home, ".pki", "nssdb");
  execFileSync("mkdir", ["-p", db]);
  execFileSync("certutil", ["-N", "-d", `sql:${db}`, "--empty-password"], { stdio: "ignore" });
  execFileSync("certutil", ["-A", "-d", `sql:${db}`, "-n", "lab-turn", "-t", "CT,,", "-i", certificate], {
    stdio: "ignore",
  });
  return home;
}
