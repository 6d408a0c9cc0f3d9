// The Dump tab and the toolbar's Open dump (and a file dropped onto the panel): a dump someone
// sent, read in a worker, its connections in the shared connection tables and the timeline's
// picker, where it came from, and what could not be read. Everything in it came from the file:
// shown as text only.
import { errorMessage } from "../engine/core/errors";
import { MAX_DUMP_BYTES } from "../engine/dump/dump-file";
import type { DumpWatch, OpenedDump } from "../engine/dump/dump-watch";
import { bytes } from "../format/units";
import { connectionTables } from "./connection-tables";
import { byId, textElement } from "./elements";
import type { TimelineView } from "./timeline-view";

export function mountDumpView(dump: DumpWatch, timeline: TimelineView, showTab: () => void): void {
  const input = byId("open-dump", HTMLInputElement);
  const status = byId("dump-status", HTMLParagraphElement);
  const source = byId("dump-source", HTMLParagraphElement);
  const notes = byId("dump-notes", HTMLUListElement);
  const drawTables = connectionTables(
    {
      ids: { connections: "dump-connections", channels: "dump-channels", findings: "dump-findings" },
      noun: "dump connection",
      sendSideRecorded: false,
    },
    timeline,
  );
  const say = (text: string, level: "info" | "error") => {
    status.textContent = text;
    status.dataset.level = level;
  };
  const open = async (file: File) => {
    showTab();
    if (file.size > MAX_DUMP_BYTES) {
      say(
        `${file.name.slice(0, 200)} is ${bytes(file.size)}: larger than ${bytes(MAX_DUMP_BYTES)}, the most this panel reads.`,
        "error",
      );
      return;
    }
    say(`Reading ${file.name.slice(0, 200)} (${bytes(file.size)})…`, "info");
    try {
      const bytesRead = new Uint8Array(await file.arrayBuffer());
      await dump.job.run({ name: file.name, bytes: bytesRead });
    } catch (error) {
      say(`${file.name.slice(0, 200)}: ${errorMessage(error)}`, "error");
    }
  };
  dump.job.events.on("result", (opened) => {
    say(headline(opened), "info");
    source.textContent = sourceLine(opened);
    source.hidden = false;
    notes.replaceChildren(...opened.notes.map((note) => textElement("li", note)));
    notes.hidden = opened.notes.length === 0;
    drawTables(opened.connections);
    timeline.setExtra(
      "dump",
      opened.connections.map((c) => c.watched),
    );
    const first = opened.connections[0];
    if (first) timeline.show(first.watched);
  });
  input.addEventListener("change", () => {
    const file = input.files?.[0];
    // The same file chosen again must open again.
    input.value = "";
    if (file) void open(file);
  });
  // A dump dropped anywhere on the panel opens; anything else dropped is left alone.
  const hasFile = (event: DragEvent) => event.dataTransfer?.types.includes("Files") === true;
  document.addEventListener("dragover", (event) => {
    if (!hasFile(event)) return;
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = "copy";
  });
  document.addEventListener("drop", (event) => {
    if (!hasFile(event)) return;
    event.preventDefault();
    const file = event.dataTransfer?.files[0];
    if (file) void open(file);
  });
}

function headline(opened: OpenedDump): string {
  const n = opened.connections.length;
  const worst = opened.connections.filter((c) => c.watched.findings.some((f) => f.level === "fail")).length;
  const count = `${n} peer connection${n === 1 ? "" : "s"}`;
  if (n === 0) return `${opened.fileName}: the dump holds no peer connection.`;
  return `${opened.fileName}: ${count}${worst > 0 ? `, ${worst} with a failing finding` : ""}. Show timeline opens one in the state timeline.`;
}

function sourceLine(opened: OpenedDump): string {
  const s = opened.source;
  const kind = s.format === "rtcstats" ? "An rtcstats dump" : "A webrtc-internals dump";
  const pages = [...new Set(opened.connections.map((c) => c.frameUrl).filter(Boolean))];
  return `${kind} made by ${s.userAgent || "a browser it does not name"}${s.createdAt ? ` at ${s.createdAt}` : ""}; pages: ${pages.join(", ") || "not named"}; times count from ${s.startedAt ?? "its first event"}.`;
}
