// Reads a report file someone opened: JSON, then the right format version, then the schema. Every
// refusal says what is wrong with the file in plain words. Pure: the validator is handed in (the
// build-time compiled one in the panel, Ajv in tests), so the same checks run in both.

import { errorMessage } from "../engine/core/errors";
import { READABLE_REPORT_SCHEMAS, type Report } from "./report";

export interface SchemaValidator {
  (data: unknown): boolean;
  errors?: { instancePath: string; message?: string }[] | null;
}

export type OpenedReport = { ok: true; report: Report } | { ok: false; message: string };

/** Larger files are not reports this panel wrote (a full timeline is well under 1 MB). */
export const MAX_REPORT_BYTES = 20 * 1024 * 1024;

export function parseReport(text: string, validate: SchemaValidator): OpenedReport {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const reason = errorMessage(error);
    return { ok: false, message: `This file is not JSON (${reason}). Open a file saved with "Save report".` };
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    return { ok: false, message: "This file holds JSON, but not a report: a report is a JSON object." };
  }
  const schema = (data as { schema?: unknown }).schema;
  if (schema === undefined) {
    return {
      ok: false,
      message: `This JSON file is not a Loopback Lab report: it has no "schema" field naming the format.`,
    };
  }
  if (typeof schema !== "string" || !READABLE_REPORT_SCHEMAS.includes(schema)) {
    return {
      ok: false,
      message: `This report is in the format "${String(schema)}"; this panel reads ${READABLE_REPORT_SCHEMAS.map((v) => `"${v}"`).join(" and ")}. Open it with a matching version of the extension.`,
    };
  }
  if (!validate(data)) {
    const first = validate.errors?.[0];
    const where = first?.instancePath ? first.instancePath : "the top level";
    return {
      ok: false,
      message: `This report is damaged or was edited: at ${where}, ${first?.message ?? "it does not match the format"}.`,
    };
  }
  return { ok: true, report: data as Report };
}
