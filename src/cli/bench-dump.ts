// Opening a large dump in the panel: a 50 MB webrtc-internals dump in the shape Chrome writes for a
// long call (an hour of once-a-second statistics series for a dozen connections), opened with Open
// dump in the real DevTools panel, against the minimal reference of reading the same file on a
// page's main thread (fetch, then JSON.parse). What is judged is the panel's longest task while it
// opens: at most DUMP_TASK_BAR_MS, however long the reference's is.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ElementHandle, Frame, Page } from "puppeteer-core";
import { bytes, milliseconds } from "../format/units";
import { observeLongTasks, readLongest, resetLongest } from "./bench-reference";

const DUMP_TASK_BAR_MS = 200;
/** About 2.65 MB each: 19 make a 50 MB dump. */
const CONNECTIONS = 19;
/** Statistics objects per connection and attributes per object, as a data-channel call's dump has. */
const SERIES = [
  [
    "candidate-pair",
    [
      "bytesSent",
      "bytesReceived",
      "packetsSent",
      "packetsReceived",
      "requestsSent",
      "responsesReceived",
      "currentRoundTripTime",
      "state",
      "nominated",
      "localCandidateId",
      "remoteCandidateId",
      "availableOutgoingBitrate",
      "totalRoundTripTime",
      "timestamp",
    ],
  ],
  [
    "local-candidate",
    ["candidateType", "protocol", "address", "port", "priority", "networkType", "timestamp"],
  ],
  ["remote-candidate", ["candidateType", "protocol", "address", "port", "priority", "timestamp"]],
  [
    "transport",
    [
      "dtlsState",
      "iceState",
      "selectedCandidatePairId",
      "bytesSent",
      "bytesReceived",
      "packetsSent",
      "packetsReceived",
      "timestamp",
    ],
  ],
  [
    "data-channel",
    [
      "label",
      "state",
      "dataChannelIdentifier",
      "messagesSent",
      "bytesSent",
      "messagesReceived",
      "bytesReceived",
      "timestamp",
    ],
  ],
] as const;

/** A dump of `connections` connections, each with `samples` seconds of statistics. */
function largeDump(connections: number, samples: number): string {
  const t0 = Date.UTC(2026, 0, 1);
  const pcs: Record<string, unknown> = {};
  for (let c = 1; c <= connections; c++) {
    const stats: Record<string, unknown> = {};
    for (const [type, attributes] of SERIES)
      for (let n = 0; n < (type === "candidate-pair" ? 4 : 1); n++)
        for (const attribute of attributes) {
          const values = Array.from({ length: samples }, (_, i) =>
            attribute === "timestamp"
              ? t0 + i * 1000
              : attribute === "state"
                ? type === "data-channel"
                  ? "open"
                  : "succeeded"
                : i * 1200 + n,
          );
          stats[`${type}-${c}-${n}-${attribute}`] = {
            statsType: type,
            startTime: "",
            endTime: "",
            values: JSON.stringify(values),
          };
        }
    pcs[`9-${c}`] = {
      pid: 1,
      url: "https://app.example/call",
      rtcConfiguration: "{}",
      updateLog: [
        { type: "createDataChannel", value: '{"label":"chat","ordered":true}', timestamp: t0 },
        { type: "onsignalingstatechange", value: '"have-local-offer"', timestamp: t0 + 5 },
        { type: "onsignalingstatechange", value: '"stable"', timestamp: t0 + 20 },
        { type: "oniceconnectionstatechange", value: '"connected"', timestamp: t0 + 40 },
      ],
      stats,
    };
  }
  return JSON.stringify({ PeerConnections: pcs, UserAgent: "bench", timestamp: t0 + samples * 1000 });
}

/** Opens the dump in the panel and reads it in the reference page; prints both; returns whether the bar held. */
export async function dumpOpening(name: string, panel: Frame, page: Page): Promise<boolean> {
  const dir = mkdtempSync(join(tmpdir(), "lab-bench-dump-"));
  const text = largeDump(CONNECTIONS, 3600);
  const file = join(dir, "webrtc_internals_dump.txt");
  writeFileSync(file, text);
  // "/blank" is the reference's empty page; anything else is the dump.
  const server = createServer((request, response) => {
    const blank = request.url === "/blank";
    response.writeHead(200, { "content-type": blank ? "text/html" : "application/json" });
    response.end(blank ? "<!doctype html><title>reference</title>" : text);
  });
  try {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    console.log(
      `\n${name}: opening a ${bytes(text.length)} dump (${CONNECTIONS} connections, an hour of statistics each)`,
    );
    const measurable = (await observeLongTasks(panel)) && (await observeLongTasks(page.mainFrame()));
    if (!measurable) {
      console.log("  long tasks cannot be measured in this browser");
      return true;
    }
    await resetLongest(panel);
    const started = Date.now();
    const input = (await panel.$("#open-dump")) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(file);
    await panel.waitForFunction(
      () => /peer connections?|larger than/.test(document.getElementById("dump-status")?.textContent ?? ""),
      { timeout: 120_000 },
    );
    const openedMs = Date.now() - started;
    const status = await panel.evaluate(() => document.getElementById("dump-status")?.textContent ?? "");
    const panelLongest = (await readLongest(panel)) ?? 0;
    // The observer must see a task it is known to have: a 120 ms busy loop in the panel.
    await resetLongest(panel);
    await panel.evaluate(
      () =>
        new Promise<void>((done) =>
          setTimeout(() => {
            const start = performance.now();
            while (performance.now() - start < 120);
            done();
          }),
        ),
    );
    const control = (await readLongest(panel)) ?? 0;
    if (control < 100) {
      console.log(
        `  the panel's long-task observer missed a 120 ms task (saw ${milliseconds(control)}): not measurable`,
      );
      return false;
    }
    await page.goto(url.replace(/\/$/, "/blank"));
    await observeLongTasks(page.mainFrame());
    await page.evaluate(async (u) => {
      JSON.parse(await (await fetch(u)).text());
    }, url);
    const referenceLongest = (await readLongest(page.mainFrame())) ?? 0;
    const pass = panelLongest <= DUMP_TASK_BAR_MS;
    // The browser reports tasks of 50 ms or more only.
    const longTask = (ms: number) => (ms === 0 ? "none of 50 ms or more" : milliseconds(ms));
    console.log(
      `  panel: ${status.replace(/\. Show timeline.*/, "")} in ${milliseconds(openedMs)}; longest task ${longTask(panelLongest)}`,
    );
    console.log(
      `  reference (fetch and JSON.parse on a page's main thread): longest task ${longTask(referenceLongest)}`,
    );
    const ratio =
      panelLongest > 0 && referenceLongest > 0
        ? `panel ÷ reference longest task ${(panelLongest / referenceLongest).toFixed(3)}; `
        : "";
    console.log(`  ${ratio}panel's longest (bar ≤ ${DUMP_TASK_BAR_MS} ms) ${pass ? "PASS" : "FAIL"}`);
    return pass;
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
