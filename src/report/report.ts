// The report: everything a session found, as one JSON-serialisable object whose shape is versioned
// and described by report.schema.json.
import type { Finding } from "../engine/findings";
import type { Lab } from "../engine/lab";
import type { TimelineEntry } from "../engine/timeline";

export const REPORT_SCHEMA = "webrtc-loopback-report/1";

export interface Report {
  schema: typeof REPORT_SCHEMA;
  createdAt: string;
  timeline: TimelineEntry[];
  timelineDropped: number;
  sctp: { maxMessageSize: number; maxChannels: number | null } | null;
  findings: Finding[];
}

export function buildReport(lab: Lab): Report {
  const open = lab.connection;
  return {
    schema: REPORT_SCHEMA,
    createdAt: new Date().toISOString(),
    timeline: lab.timeline.list(),
    timelineDropped: lab.timeline.dropped,
    sctp: open ? { maxMessageSize: open.maxMessageSize, maxChannels: open.maxChannels } : null,
    findings: lab.findings,
  };
}
