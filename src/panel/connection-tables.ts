// The tables any set of recorded connections is shown in (the inspected page's, or a dump's): one
// row per connection with its verdict, state and tallies and a button that opens its timeline, one
// row per channel end with its options, readyState and counts, and the findings. Everything in them
// came from a page or a file: shown as text only, and at most MAX_ROWS rows each.

import type { Finding } from "../contract/findings";
import { LEVEL_WORDS, levelOf } from "../contract/levels";
import type { RecordedChannel } from "../engine/page/page-batch";
import type { PageConnection } from "../engine/page/page-recording";
import { pathText } from "../format/pair-path";
import { bytes, count, counted, rate } from "../format/units";
import { byId, textElement } from "./elements";
import { renderFindings } from "./findings-view";
import type { TimelineView } from "./timeline-view";

/** Rows drawn at most: a page with hundreds of channels must not freeze the panel. */
export const MAX_ROWS = 200;

export interface ConnectionTablesSetup {
  /** The ids of the two tables and the findings list. */
  ids: { connections: string; channels: string; findings: string };
  /** How a connection is named in a button's accessible name: "page connection", "dump connection". */
  noun: string;
  /** A dump has no send queue or send() errors: those columns read "—", not a zero never seen. */
  sendSideRecorded: boolean;
}

/** Returns draw(list): the tables for these connections, rows kept per connection across draws. */
export function connectionTables(
  setup: ConnectionTablesSetup,
  timeline: TimelineView,
): (list: readonly PageConnection[]) => void {
  const connectionsTable = byId(setup.ids.connections, HTMLTableElement);
  const channelsTable = byId(setup.ids.channels, HTMLTableElement);
  const findings = byId(setup.ids.findings, HTMLUListElement);
  const connectionRows = connectionsTable.tBodies[0];
  const channelRows = channelsTable.tBodies[0];
  if (!connectionRows || !channelRows) throw new Error(`panel.html: #${setup.ids.connections} lacks a tbody`);
  // Each cell carries its column's name: a narrow pane shows the rows as stacked label-value pairs.
  const headers = (table: HTMLTableElement) =>
    [...(table.tHead?.rows[0]?.cells ?? [])].map((c) => c.textContent ?? "");
  const labelled = (row: HTMLTableRowElement, names: readonly string[]) => {
    [...row.cells].forEach((cell, i) => {
      cell.dataset.label = names[i] ?? "";
    });
    return row;
  };
  const connectionHeaders = headers(connectionsTable);
  const channelHeaders = headers(channelsTable);
  let shownFindings = "";
  // Rows are made once per connection and updated in place, so its button stays the same element.
  const rows = new Map<PageConnection, { row: HTMLTableRowElement; cells: HTMLTableCellElement[] }>();
  const connectionRow = (c: PageConnection) => {
    const row = document.createElement("tr");
    const open = textElement("button", "Show timeline");
    open.type = "button";
    open.setAttribute("aria-label", `Show the timeline of ${setup.noun} ${c.id}`);
    open.addEventListener("click", () => timeline.show(c.watched));
    const cells = [0, 1, 2, 3, 4, 5].map(() => document.createElement("td"));
    const buttonCell = document.createElement("td");
    buttonCell.append(open);
    row.append(...cells, buttonCell);
    labelled(row, connectionHeaders);
    return { row, cells };
  };
  return (all) => {
    const list = all.slice(0, MAX_ROWS);
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
    channelRows.replaceChildren(
      ...channels
        .slice(0, MAX_ROWS)
        .map(([c, ch]) => labelled(channelRow(c, ch, setup.sendSideRecorded), channelHeaders)),
    );
    connectionsTable.hidden = list.length === 0;
    channelsTable.hidden = channels.length === 0;
    const found = list.flatMap((c) =>
      c.watched.findings.map((f) => ({ ...f, message: `Connection ${c.id}: ${f.message}` })),
    );
    const key = JSON.stringify(found);
    if (key !== shownFindings) {
      shownFindings = key;
      renderFindings(findings, found);
    }
  };
}

function channelRow(c: PageConnection, ch: RecordedChannel, sendSideRecorded: boolean): HTMLTableRowElement {
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
    sendSideRecorded ? textElement("td", bytes(ch.bufferedAmountPeak)) : notRecorded(),
    sendSideRecorded ? errorsCell(ch) : notRecorded(),
  );
  return row;
}

function notRecorded(): HTMLTableCellElement {
  const cell = textElement("td", "—");
  cell.title = "Not in a dump";
  return cell;
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
    `${counted(totals.sentMessages, "message")}, ${bytes(totals.sentBytes)}; now ${rate(totals.sendRate.bytesPerSecond)}`,
    `${counted(totals.receivedMessages, "message")}, ${bytes(totals.receivedBytes)}; now ${rate(totals.receiveRate.bytesPerSecond)}`,
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

/** The connection's most serious finding first, in plain words. */
function verdictLine(findings: readonly Finding[]): string {
  if (findings.length === 0) return "Nothing seen yet";
  const level = levelOf(findings);
  const worst = findings.find((f) => f.level === level) as Finding;
  return `${LEVEL_WORDS[level]}: ${worst.message}`;
}
