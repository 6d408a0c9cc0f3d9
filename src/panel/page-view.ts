// The Page tab and the toolbar's Record page connections: the inspected page's own connections, each
// a row with its state and tallies and a button that opens its timeline, every channel's options,
// readyState and counts, and the findings. Everything here came from the page: shown as text only,
// drawn at most once per animation frame however fast the page produces events.

import type { Finding } from "../contract/findings";
import { LEVEL_WORDS, levelOf } from "../contract/levels";
import { errorMessage } from "../engine/core/errors";
import type { RecordedChannel } from "../engine/page/page-batch";
import type { PageConnection } from "../engine/page/page-recording";
import type { PageWatch } from "../engine/page/page-watch";
import type { PairSummary } from "../engine/watch/pair-stats";
import { bytes, count, rate } from "../format/units";
import { capNotes } from "../report/page-caps";
import { byId, textElement } from "./elements";
import { renderFindings } from "./findings-view";
import type { TimelineView } from "./timeline-view";

/** Rows drawn at most: a page with hundreds of channels must not freeze the panel. */
const MAX_ROWS = 200;

export function mountPageView(page: PageWatch, timeline: TimelineView): void {
  const record = byId("record-page", HTMLButtonElement);
  const status = byId("page-status", HTMLParagraphElement);
  const connectionsTable = byId("page-connections", HTMLTableElement);
  const channelsTable = byId("page-channels", HTMLTableElement);
  const findings = byId("page-findings", HTMLUListElement);
  const drawCaps = capsView(page);
  const connectionRows = connectionsTable.tBodies[0];
  const channelRows = channelsTable.tBodies[0];
  if (!connectionRows || !channelRows) throw new Error("panel.html: the page tables lack a tbody");

  let scheduled = false;
  let shownFindings = "";
  // Rows are made once per connection and updated in place, so its button stays the same element.
  const rows = new Map<PageConnection, { row: HTMLTableRowElement; cells: HTMLTableCellElement[] }>();
  const draw = () => {
    scheduled = false;
    const list = page.connections.slice(0, MAX_ROWS);
    drawCaps();
    for (const [c] of rows) if (!list.includes(c)) rows.delete(c);
    const shown = list.map((c) => {
      const made = rows.get(c) ?? connectionRow(c);
      rows.set(c, made);
      updateConnectionRow(c, made.cells);
      return made.row;
    });
    if (
      shown.some((row, i) => connectionRows.children[i] !== row) ||
      connectionRows.children.length !== shown.length
    )
      connectionRows.replaceChildren(...shown);
    const channels = list.flatMap((c) => c.channels.map((ch) => [c, ch] as const));
    channelRows.replaceChildren(...channels.slice(0, MAX_ROWS).map(([c, ch]) => channelRow(c, ch)));
    connectionsTable.hidden = list.length === 0;
    channelsTable.hidden = channels.length === 0;
    const all = list.flatMap((c) =>
      c.watched.findings.map((f) => ({ ...f, message: `Connection ${c.id}: ${f.message}` })),
    );
    const key = JSON.stringify(all);
    if (key !== shownFindings) {
      shownFindings = key;
      renderFindings(findings, all);
    }
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(draw);
  };

  const connectionRow = (c: PageConnection) => {
    const row = document.createElement("tr");
    const open = textElement("button", "Show timeline");
    open.type = "button";
    open.setAttribute("aria-label", `Show the timeline of page connection ${c.id}`);
    open.addEventListener("click", () => timeline.show(c.watched));
    const cells = [0, 1, 2, 3, 4, 5].map(() => document.createElement("td"));
    const buttonCell = document.createElement("td");
    buttonCell.append(open);
    row.append(...cells, buttonCell);
    return { row, cells };
  };

  page.recording.events.on("connections", (list) => {
    timeline.setExtra(
      "page",
      list.map((c) => c.watched),
    );
    schedule();
  });
  page.recording.events.on("updated", schedule);
  // The rates are sampled every 250 ms: redraw with them while a connection is live.
  setInterval(() => {
    if (page.connections.some((c) => c.watched.live)) schedule();
  }, 1000);
  page.recording.events.on("refused", (why) => {
    status.textContent = why;
    status.dataset.level = "warn";
  });
  page.recorder.events.on("status", ({ recording, text }) => {
    status.textContent = text;
    status.dataset.level = "info";
    record.textContent = recording ? "Record again" : "Record page connections";
  });
  record.addEventListener("click", () => {
    page.job.run(undefined).catch((error: unknown) => {
      status.textContent = errorMessage(error);
      status.dataset.level = "error";
    });
  });
}

/** What the caps left out (the recorder's, and this list's), redrawn only when it changes. */
function capsView(page: PageWatch): () => void {
  const caps = byId("page-caps", HTMLUListElement);
  let shown = "";
  return () => {
    const notes = capNotes(page.recording.untrackedConnections, page.connections);
    if (page.connections.length > MAX_ROWS)
      notes.unshift(`Showing the first ${MAX_ROWS} of ${page.connections.length} connections.`);
    if (notes.join("\n") === shown) return;
    shown = notes.join("\n");
    caps.replaceChildren(...notes.map((note) => textElement("li", note)));
    caps.hidden = notes.length === 0;
  };
}

function channelRow(c: PageConnection, ch: RecordedChannel): HTMLTableRowElement {
  const row = document.createElement("tr");
  const reliability =
    ch.maxRetransmits !== null
      ? `maxRetransmits ${ch.maxRetransmits}`
      : ch.maxPacketLifeTime !== null
        ? `maxPacketLifeTime ${ch.maxPacketLifeTime} ms`
        : "reliable";
  const options = [ch.ordered ? "ordered" : "unordered", reliability, ch.negotiated ? "negotiated" : ""]
    .filter(Boolean)
    .join(", ");
  row.append(
    textElement("td", String(c.id)),
    textElement("td", `${ch.label}${ch.streamId === null ? "" : ` (id ${ch.streamId})`}`),
    textElement("td", ch.side),
    textElement("td", options),
    textElement("td", ch.readyState),
    textElement("td", count(ch.messagesSent)),
    textElement("td", bytes(ch.bytesSent)),
    textElement("td", count(ch.messagesReceived)),
    textElement("td", bytes(ch.bytesReceived)),
    textElement("td", bytes(ch.bufferedAmountPeak)),
    errorsCell(ch),
  );
  return row;
}

/** The count; the last error's words in its tooltip (the findings below say it in full). */
function errorsCell(ch: RecordedChannel): HTMLTableCellElement {
  const cell = textElement("td", String(ch.sendErrors));
  if (ch.lastSendError) cell.title = ch.lastSendError;
  return cell;
}

function updateConnectionRow(c: PageConnection, cells: HTMLTableCellElement[]): void {
  const states = c.watched.timeline;
  const totals = c.watched.counters();
  const verdict = verdictLine(c.watched.findings);
  const texts = [
    String(c.id),
    verdict,
    c.frameUrl,
    `${states.lastValue("peer", "connectionState") ?? "—"} (ICE ${states.lastValue("peer", "iceConnectionState") ?? "—"})${pathText(c.stats)}`,
    `${count(totals.sentMessages)} messages, ${bytes(totals.sentBytes)}; now ${rate(totals.sendRate.bytesPerSecond)}`,
    `${count(totals.receivedMessages)} messages, ${bytes(totals.receivedBytes)}; now ${rate(totals.receiveRate.bytesPerSecond)}`,
  ];
  texts.forEach((text, i) => {
    const cell = cells[i];
    if (cell && cell.textContent !== text) cell.textContent = text;
  });
  const verdictCell = cells[1];
  if (verdictCell) {
    verdictCell.dataset.level = levelOf(c.watched.findings);
    verdictCell.title = verdict;
  }
}

/** The pair in use, or what ICE tried: " · host ↔ srflx UDP, 12.3 ms" or " · 2 pairs, 40 checks, 0 answered". */
function pathText(stats: PairSummary | null): string {
  if (!stats) return "";
  const s = stats.selected;
  if (s)
    return ` · ${s.local} ↔ ${s.remote} ${s.protocol.toUpperCase()}${s.rttMs === null ? "" : `, ${s.rttMs} ms`}`;
  const pairs = stats.udp.pairs + stats.tcp.pairs;
  const sent = stats.udp.requestsSent + stats.tcp.requestsSent;
  const answered = stats.udp.responsesReceived + stats.tcp.responsesReceived;
  return ` · ${count(pairs)} pair${pairs === 1 ? "" : "s"}, ${count(sent)} checks, ${count(answered)} answered`;
}

/** The connection's most serious finding first, in plain words. */
function verdictLine(findings: readonly Finding[]): string {
  if (findings.length === 0) return "Nothing seen yet";
  const level = levelOf(findings);
  const worst = findings.find((f) => f.level === level) as Finding;
  return `${LEVEL_WORDS[level]}: ${worst.message}`;
}
