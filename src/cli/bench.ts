// `npm run bench`: how close the panel's throughput run comes to what the browser can do. In one
// session per browser (headless Chrome with the real DevTools panel; Firefox with the panel bundle
// in a tab), it alternates the panel's run with a minimal hand-written send loop of the same
// message size in the same page, and prints the ratios of the medians. Only ratios are judged:
// absolute figures vary from run to run and machine to machine. `npm run bench -- headline` runs
// only the headline comparison, `-- recorder` only the page recorder's cost (Chrome), `-- dump`
// only opening a 50 MB dump (Chrome's DevTools panel); `chrome` or `firefox` picks a browser.
import { resolve } from "node:path";
import type { Browser, CDPSession } from "puppeteer-core";
import { lab } from "../contract/lab-client";
import { dumpOpening } from "./bench-dump";
import { heapAroundLongRun, latency, sizeTable } from "./bench-extras";
import { HEADLINE_BAR, headlineAgainstLongRun } from "./bench-headline";
import { BARS, type LoopRatios, panelAgainstLoop } from "./bench-ratios";
import { RECORDER_BAR, recorderCost, serveRecorderPage } from "./bench-recorder";
import { connectReference, observeLongTasks } from "./bench-reference";
import { launchChrome, launchFirefox, openChromePanel, openFirefoxToolbox } from "./browsers";
import type { PanelFrame } from "./panel-frame";
import { serveStartPage } from "./start-page";

/** What one browser measured; a part that was not run is absent. */
interface BrowserVerdict {
  name: string;
  loop?: LoopRatios;
  headline?: number;
  /** The recorded page's send rate over the plain page's (Chrome: only it records through DevTools). */
  recorder?: number;
  /** Whether the panel's longest task while opening a 50 MB dump held the bar (Chrome). */
  dump?: boolean;
}

type Part = "all" | "headline" | "recorder" | "dump";

async function benchBrowser(
  name: string,
  frame: PanelFrame,
  devtools: CDPSession | null,
  part: Part,
  recorded?: () => Promise<number>,
  dumpOpened?: () => Promise<boolean>,
): Promise<BrowserVerdict> {
  console.log(`\n=== ${name} ===`);
  console.log(await frame.evaluate(() => navigator.userAgent));
  if (part === "headline") return { name, headline: await headlineAgainstLongRun(name, frame) };
  if (part === "recorder") return { name, ...(recorded ? { recorder: await recorded() } : {}) };
  if (part === "dump") return { name, ...(dumpOpened ? { dump: await dumpOpened() } : {}) };
  const { maxMessageSize } = await lab(frame).call("connect");
  await connectReference(frame);
  if (!(await observeLongTasks(frame)))
    console.log(
      "Long tasks: this browser has no 'longtask' PerformanceObserver entry type, so they cannot be measured here.",
    );
  const loop = await panelAgainstLoop(name, frame);
  const headline = await headlineAgainstLongRun(name, frame);
  await sizeTable(name, frame, maxMessageSize);
  await latency(name, frame);
  await heapAroundLongRun(name, frame, devtools);
  await lab(frame).call("disconnect");
  return {
    name,
    loop,
    headline,
    ...(recorded ? { recorder: await recorded() } : {}),
    ...(dumpOpened ? { dump: await dumpOpened() } : {}),
  };
}

async function withBrowser<T>(
  launch: () => Promise<Browser>,
  use: (browser: Browser) => Promise<T>,
): Promise<T> {
  const browser = await launch();
  try {
    return await use(browser);
  } finally {
    await browser.close();
  }
}

/** One line per browser; returns whether every bar held. */
function printVerdict(v: BrowserVerdict): boolean {
  const judged = (ratio: number | undefined, pass: boolean) =>
    ratio === undefined ? "not run" : `${ratio.toFixed(3)} ${pass ? "PASS" : "FAIL"}`;
  const loop = v.loop;
  const pass64 = !loop || loop.bytes64k >= BARS.bytes64k;
  const pass1 = !loop || loop.messages1k >= BARS.messages1k;
  const passHeadline = v.headline === undefined || Math.abs(v.headline - 1) <= HEADLINE_BAR;
  const passRecorder = v.recorder === undefined || v.recorder >= RECORDER_BAR;
  const passDump = v.dump !== false;
  const measurable = loop && loop.longestPanel !== null && loop.longestLoop !== null;
  const passTask = !measurable || (loop.longestPanel as number) <= (loop.longestLoop as number) + 50;
  const tasks = loop ? `${passTask ? "PASS" : "FAIL"}${measurable ? "" : " (not measurable)"}` : "not run";
  console.log(
    `${v.name}: 64 KiB bytes/s ${judged(loop?.bytes64k, pass64)} · 1 KiB messages/s ${judged(loop?.messages1k, pass1)} · headline ÷ 10 s second half ${judged(v.headline, passHeadline)} · longest task ${tasks} · recorded page ÷ plain ${judged(v.recorder, passRecorder)} · 50 MB dump's longest task ${v.dump === undefined ? "not run" : passDump ? "PASS" : "FAIL"}`,
  );
  return pass64 && pass1 && passTask && passHeadline && passRecorder && passDump;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const part: Part = (["headline", "recorder", "dump"] as const).find((p) => args.includes(p)) ?? "all";
  const only = args.filter((a) => a !== part);
  const want = (name: string) => only.length === 0 || only.includes(name);
  const verdicts: BrowserVerdict[] = [];
  if (want("chrome")) {
    verdicts.push(
      await withBrowser(launchChrome, async (browser) => {
        // DevTools inspects the bench's own page, whose send loop the recorder part measures.
        const recorderPage = await serveRecorderPage();
        try {
          const { panel, page } = await openChromePanel(browser, resolve("dist/chrome"), {
            url: recorderPage.url,
          });
          const target = browser.targets().find((t) => t.url() === panel.url());
          const devtools = target ? await target.createCDPSession() : null;
          const name = "Chrome (DevTools panel)";
          const recorded = () => recorderCost(name, page, panel, recorderPage.url);
          const dumpOpened = () => dumpOpening(name, panel, page);
          return await benchBrowser(name, panel, devtools, part, recorded, dumpOpened);
        } finally {
          recorderPage.close();
        }
      }),
    );
  }
  if (want("firefox")) {
    verdicts.push(
      await withBrowser(launchFirefox, async (browser) => {
        const page = await serveStartPage();
        try {
          const { panel } = await openFirefoxToolbox(browser, resolve("dist/firefox"), { url: page.url });
          return await benchBrowser("Firefox (DevTools toolbox panel)", panel, null, part);
        } finally {
          page.close();
        }
      }),
    );
  }
  console.log("\n=== Ratios (panel ÷ minimal loop, medians) ===");
  let ok = true;
  for (const v of verdicts) ok = printVerdict(v) && ok;
  process.exitCode = ok ? 0 : 1;
}

await main();
