// Shared by the e2e suites: the report's JSON Schema check.
import { readFileSync } from "node:fs";
import Ajv from "ajv";

const schema = JSON.parse(readFileSync("src/report/report.schema.json", "utf8"));
const validate = new Ajv({ allErrors: true, allowUnionTypes: true }).compile(schema);

/** The schema's complaints about a report, as readable lines; empty when it is valid. */
export function schemaErrors(report: unknown): string[] {
  return validate(report) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
