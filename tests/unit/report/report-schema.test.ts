// The report's JSON Schema against reports built the way the panel builds them, and against damage.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import Ajv from "ajv";
import standaloneCode from "ajv/dist/standalone";
import { describe, expect, it } from "vitest";
import { compileSchema, diagnosisReport, latencyResult, schema } from "../report-fixture";

const validate = compileSchema();
const errorsOf = (data: unknown) =>
  validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value));

describe("report.schema.json", () => {
  it("accepts a passing diagnosis report and a failed one, after a JSON round trip", () => {
    expect(errorsOf(copy(diagnosisReport()))).toEqual([]);
    const failed = copy(diagnosisReport({ opened: false }));
    expect(failed.verdict).toBe("fail");
    expect(errorsOf(failed)).toEqual([]);
  });

  it("accepts version 1 reports (no iceCheck) and version 2 reports with an ICE-server check", () => {
    const { iceCheck: _, ...v1 } = { ...copy(diagnosisReport()), schema: "webrtc-loopback-report/1" };
    expect(errorsOf(v1)).toEqual([]);
    const target = {
      url: "turn:t.example:3478",
      scheme: "turn",
      transport: "udp",
      candidateTypes: ["host", "relay"],
      firstCandidateMs: { host: 1, relay: 20 },
      gatheringMs: 100,
      errors: [{ errorCode: 401, errorText: "Unauthorized" }],
      refused: null,
      relayConnected: false,
      level: "fail",
      findings: [{ level: "fail", code: "turn-unauthorized", message: "x" }],
    };
    const iceCheck = {
      results: [target],
      findings: target.findings,
      level: "fail",
      headline: "h",
      startedAt: "2026-11-25T06:00:00.000Z",
      durationMs: 5,
    };
    expect(errorsOf({ ...copy(diagnosisReport()), iceCheck })).toEqual([]);
    // A URL with a user:password@ part is refused: reports never hold credentials.
    const leaky = { ...iceCheck, results: [{ ...target, url: "turn:alice:pw@t.example" }] };
    expect(errorsOf({ ...copy(diagnosisReport()), iceCheck: leaky }).join()).toContain(
      "/iceCheck/results/0/url",
    );
  });

  it("accepts a latency run without samples, whose NaN percentiles JSON writes as null", () => {
    const report = diagnosisReport({
      latency: latencyResult({ samples: 0, p50Ms: NaN, p95Ms: NaN, p99Ms: NaN, maxMs: NaN, cancelled: true }),
    });
    expect(errorsOf(copy(report))).toEqual([]);
  });

  it("rejects a report of another version, a missing section, a wrong verdict and a bad finding code", () => {
    const base = copy(diagnosisReport());
    expect(errorsOf({ ...base, schema: "webrtc-loopback-report/3" })).not.toEqual([]);
    const { throughput: _, ...withoutThroughput } = base;
    expect(errorsOf(withoutThroughput).join()).toContain("throughput");
    expect(errorsOf({ ...base, verdict: "ok" })).not.toEqual([]);
    expect(
      errorsOf({ ...base, findings: [{ level: "pass", code: "Not A Code", message: "x" }] }),
    ).not.toEqual([]);
    expect(errorsOf({ ...base, createdAt: "yesterday" })).not.toEqual([]);
  });

  it("requires a diagnosis report to carry support and a verdict; a session report has no support", () => {
    const base = copy(diagnosisReport());
    if (base.kind !== "diagnosis") throw new Error("the fixture makes diagnosis reports");
    expect(errorsOf({ ...base, support: null })).not.toEqual([]);
    expect(errorsOf({ ...base, verdict: null })).not.toEqual([]);
    const { diagnosisMs: _, ...session } = base;
    expect(errorsOf({ ...session, kind: "session", support: null, verdict: null })).toEqual([]);
    expect(errorsOf({ ...session, kind: "session" })).not.toEqual([]);
  });

  it("compiles to standalone code without eval or new Function, which agrees with Ajv", async () => {
    // This is what build.mjs does for the panel, whose CSP forbids Ajv's runtime compilation.
    const ajv = new Ajv({ code: { source: true, esm: true }, allowUnionTypes: true });
    const code = standaloneCode(ajv, ajv.compile(schema));
    expect(code).not.toMatch(/new Function|\beval\(/);
    const file = join(mkdtempSync(join(tmpdir(), "report-validator-")), "validate.mjs");
    writeFileSync(file, code);
    const standalone = (await import(pathToFileURL(file).href)).default as (data: unknown) => boolean;
    const good = copy(diagnosisReport());
    expect(standalone(good)).toBe(true);
    expect(standalone({ ...good, verdict: "ok" })).toBe(false);
    expect(standalone({ ...good, timeline: [{ t: -1, source: "nowhere" }] })).toBe(false);
  });
});
