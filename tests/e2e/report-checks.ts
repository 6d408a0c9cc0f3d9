// Shared by the e2e suites: the report's JSON Schema check and a runner for the diagnose CLI.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import Ajv from "ajv";

const schema = JSON.parse(readFileSync("src/report/report.schema.json", "utf8"));
const validate = new Ajv({ allErrors: true, allowUnionTypes: true }).compile(schema);

/** The schema's complaints about a report, as readable lines; empty when it is valid. */
export function schemaErrors(report: unknown): string[] {
  return validate(report) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

/** Runs the command-line tool and collects what it printed and how it exited. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = process.env) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ["dist/cli/diagnose.mjs", ...args], { env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
