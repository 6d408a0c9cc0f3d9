// The page recorder's cost to the page it records: a page that sends on its own data channel as fast
// as it can, measured as it is and after Record page connections reloaded it with the recorder (the
// panel draining it four times a second meanwhile), alternating, in one browser session.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Frame, Page } from "puppeteer-core";
import { lab } from "../contract/lab-client";
import { rate } from "../format/units";
import { median } from "./bench-figures";

const ROUNDS = Math.max(3, Number(process.env.BENCH_ROUNDS ?? 7));
const LOOP_MS = Number(process.env.BENCH_RUN_MS ?? 3000);
export const RECORDER_BAR = 0.95;

/** A page with its own send loop: two peers, one channel, 64 KiB messages under backpressure. */
const PAGE = `<!doctype html>
<html lang="en"><meta charset="utf-8"><title>Recorder bench page</title><body><script>
window.sendLoop = async (ms) => {
  const a = new RTCPeerConnection(), b = new RTCPeerConnection();
  a.onicecandidate = (e) => e.candidate && b.addIceCandidate(e.candidate);
  b.onicecandidate = (e) => e.candidate && a.addIceCandidate(e.candidate);
  const tx = a.createDataChannel("bench");
  const rx = new Promise((r) => (b.ondatachannel = (e) => r(e.channel)));
  await a.setLocalDescription(await a.createOffer());
  await b.setRemoteDescription(a.localDescription);
  await b.setLocalDescription(await b.createAnswer());
  await a.setRemoteDescription(b.localDescription);
  const channel = await rx;
  if (tx.readyState !== "open") await new Promise((r) => (tx.onopen = r));
  let received = 0;
  channel.onmessage = (e) => (received += e.data.byteLength ?? e.data.size ?? e.data.length);
  const payload = new Uint8Array(65536);
  tx.bufferedAmountLowThreshold = 1 << 20;
  const started = performance.now();
  const fill = () => { while (tx.bufferedAmount < 4 << 20 && performance.now() - started < ms) tx.send(payload); };
  tx.onbufferedamountlow = fill;
  fill();
  await new Promise((r) => setTimeout(r, ms));
  const bytesPerSecond = received / ((performance.now() - started) / 1000);
  a.close(); b.close();
  return bytesPerSecond;
};
</script></body></html>`;

export interface RecorderPage {
  url: string;
  close(): void;
}

export async function serveRecorderPage(): Promise<RecorderPage> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    response.end(PAGE);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => server.close() };
}

/** The recorded page's rate over the plain page's, median of the rounds; printed round by round. */
export async function recorderCost(name: string, page: Page, panel: Frame, url: string): Promise<number> {
  console.log(`\n${name}: a page's own send loop, recorded and not (${LOOP_MS / 1000} s each, alternating)`);
  const loop = () =>
    page.evaluate(
      (ms) => (window as unknown as { sendLoop(ms: number): Promise<number> }).sendLoop(ms),
      LOOP_MS,
    );
  const plain = async () => {
    await page.goto(url);
    return loop();
  };
  const recorded = async () => {
    await lab(panel).call("recordPage");
    return loop();
  };
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? [plain, recorded] : [recorded, plain];
    const [first, second] = [
      await (order[0] as () => Promise<number>)(),
      await (order[1] as () => Promise<number>)(),
    ];
    const [without, withRecorder] = round % 2 === 0 ? [first, second] : [second, first];
    ratios.push(withRecorder / without);
    console.log(
      `  round ${round + 1}: plain ${rate(without).padStart(11)}  recorded ${rate(withRecorder).padStart(11)}  ratio ${(withRecorder / without).toFixed(3)}`,
    );
  }
  const ratio = median(ratios);
  console.log(
    `  median ratio ${ratio.toFixed(3)} (bar ≥ ${RECORDER_BAR}) ${ratio >= RECORDER_BAR ? "PASS" : "FAIL"}`,
  );
  return ratio;
}
