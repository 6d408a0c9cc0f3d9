// A dump's part of the summary: where it came from, each connection's state, path and channels, and
// what could not be read. Words only from the report's data.
import { LEVEL_TAGS } from "../contract/levels";
import { pathText } from "../format/pair-path";
import { bytes, count } from "../format/units";
import type { DumpSection } from "./report";
import type { Section } from "./summary-section";

export function dumpSections(dump: DumpSection): Section[] {
  const origins = [...new Set(dump.connections.map((c) => c.frameOrigin).filter(Boolean))];
  const out: Section[] = [
    {
      key: "dump",
      title: `Dump: ${dump.fileName}`,
      rows: [
        ["Format", dump.format === "rtcstats" ? "rtcstats dump" : "webrtc-internals dump"],
        ["Made by", dump.userAgent || "not said"],
        ["Made at", dump.createdAt ?? "not said"],
        ["Pages", origins.join(", ") || "not said"],
      ],
    },
    {
      key: "dump-connections",
      title: `Dump connections (t = 0 at ${dump.startedAt ?? "the first logged event"})`,
      rows:
        dump.connections.length > 0
          ? dump.connections.map((c): [string, string] => {
              const last = (property: string) =>
                c.timeline.findLast((e) => e.source === "peer" && e.property === property)?.value ?? "—";
              const channels = c.channels
                .map(
                  (ch) =>
                    `"${ch.label}" (${ch.side}) ${ch.readyState}, sent ${count(ch.messagesSent)} (${bytes(ch.bytesSent)}), received ${count(ch.messagesReceived)} (${bytes(ch.bytesReceived)})`,
                )
                .join("; ");
              const findings = c.findings.map((f) => `${LEVEL_TAGS[f.level]} ${f.code}`).join(", ");
              return [
                `connection ${c.id} (${c.key})`,
                `${last("connectionState")} (ICE ${last("iceConnectionState")})${pathText(c.stats ?? null)}; ${channels || "no channels"}; ${findings || "no findings"}`,
              ];
            })
          : [["", "the dump holds no peer connection"]],
    },
  ];
  if (dump.notes.length > 0 || dump.untrackedConnections > 0)
    out.push({
      key: "dump-notes",
      title: "Not read from the dump",
      rows: dump.notes.map((note): [string, string] => ["", note]),
    });
  return out;
}
