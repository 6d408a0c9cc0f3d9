// The ICE servers tab: a form for the person's STUN and TURN servers (URLs with a username and a
// credential, or pasted RTCIceServer[] JSON), Check servers, and the matrix of results (server ×
// transport, each cell its candidate types and figures) whose cells open their timelines. The
// credential is read from the form when the check starts and goes nowhere else.

import { LEVEL_WORDS } from "../contract/levels";
import { errorMessage } from "../engine/core/errors";
import type { IceTargetResult } from "../engine/ice/ice-check";
import type { IceTransport } from "../engine/ice/ice-servers";
import type { Lab } from "../engine/lab";
import type { WatchedConnection } from "../engine/watch/watched-connection";
import { counted, rate as MB, milliseconds as ms } from "../format/units";
import { byId, textElement } from "./elements";
import { renderFindings } from "./findings-view";
import type { TimelineView } from "./timeline-view";

const TRANSPORTS: readonly IceTransport[] = ["udp", "tcp", "tls"];

export function mountIceCheckView(lab: Lab, timeline: TimelineView): void {
  const form = byId("ice-form", HTMLFormElement);
  const urls = byId("ice-urls", HTMLTextAreaElement);
  const username = byId("ice-username", HTMLInputElement);
  const credential = byId("ice-credential", HTMLInputElement);
  const run = byId("ice-run", HTMLButtonElement);
  const status = byId("ice-status", HTMLParagraphElement);
  const matrix = byId("ice-matrix", HTMLTableElement);
  const findings = byId("ice-findings", HTMLUListElement);
  const body = matrix.tBodies[0];
  if (!body) throw new Error("panel.html: the ICE matrix lacks a tbody");

  let connections: WatchedConnection[] = [];
  let results: IceTargetResult[] = [];

  const say = (text: string, level: "info" | "error" = "info") => {
    status.textContent = text;
    status.dataset.level = level;
  };

  const draw = () => {
    const rows = [...new Set(results.map((r) => r.url))];
    body.replaceChildren(
      ...rows.map((url) => {
        const row = document.createElement("tr");
        row.append(textElement("th", url));
        (row.firstChild as HTMLElement).setAttribute("scope", "row");
        for (const transport of TRANSPORTS) {
          const cell = document.createElement("td");
          const index = results.findIndex((r) => r.url === url && r.transport === transport);
          const result = results[index];
          if (result) cell.append(cellButton(result, connections[index]));
          else cell.append(textElement("span", "—", "muted"));
          row.append(cell);
        }
        return row;
      }),
    );
    matrix.hidden = rows.length === 0;
  };

  const cellButton = (result: IceTargetResult, connection: WatchedConnection | undefined) => {
    const button = textElement("button", cellText(result), "ice-cell");
    button.type = "button";
    button.dataset.level = result.level;
    button.setAttribute(
      "aria-label",
      `${result.url} over ${result.transport.toUpperCase()}: ${cellText(result)}`,
    );
    button.title = result.findings.map((f) => f.message).join("\n");
    button.addEventListener("click", () => {
      if (connection) timeline.show(connection);
    });
    return button;
  };

  const job = lab.ice.job;
  job.events.on("progress", (progress) => {
    if (progress.kind === "targets") started(progress.connections);
    else checked(progress.result);
  });
  const started = (list: WatchedConnection[]) => {
    connections = list;
    results = [];
    timeline.setExtra("ice", list);
    findings.replaceChildren();
    draw();
    say(`Checking ${counted(list.length, "target")} (server URL × transport)…`);
  };
  const checked = (result: IceTargetResult) => {
    results.push(result);
    draw();
    say(`Checked ${results.length} of ${connections.length}…`);
  };
  job.events.on("result", (result) => {
    say(result.headline);
    status.dataset.level = result.level;
    renderFindings(findings, result.findings);
  });
  job.events.on("busy", (running) => {
    run.setAttribute("aria-disabled", String(running));
    run.textContent = running ? "Checking…" : "Check servers";
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (job.busy) return;
    job
      .run({ iceServers: serversFromForm(urls.value, username.value, credential.value) })
      .catch((error: unknown) => say(errorMessage(error), "error"));
  });
}

/** Pasted JSON goes to the engine as text (it says what is wrong with it); lines become one server. */
function serversFromForm(text: string, username: string, credential: string): unknown {
  const trimmed = text.trim();
  if (trimmed.startsWith("[") || trimmed.startsWith("{")) return trimmed;
  const urls = trimmed
    .split(/\s*\n\s*/)
    .map((line) => line.trim())
    .filter(Boolean);
  return [{ urls, ...(username ? { username } : {}), ...(credential ? { credential } : {}) }];
}

function cellText(r: IceTargetResult): string {
  const types = r.candidateTypes.length > 0 ? r.candidateTypes.join(", ") : "no candidates";
  const figures = [
    r.throughput ? MB(r.throughput.bytesPerSecond) : "",
    r.latency ? `p95 ${ms(r.latency.p95Ms)}` : "",
    // A passing cell's errors came from some other local interface: the findings say so, the cell need not.
    r.errors.length > 0 && r.level !== "pass" ? `error ${r.errors.map((e) => e.errorCode).join(", ")}` : "",
  ].filter(Boolean);
  return `${LEVEL_WORDS[r.level]}: ${types}${figures.length ? ` · ${figures.join(" · ")}` : ""}`;
}
