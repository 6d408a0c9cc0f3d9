// The page recorder in Firefox. Firefox's automation cannot open DevTools, so inspectedWindow's
// reload and eval cannot be driven here; instead the same recorder bundle is installed before the
// fixture page's scripts (a WebDriver BiDi preload script, as injectedScript does), drained the way
// the panel drains it, and its batches read by the same engine code the panel runs (PageRecording,
// with the same schema). What is left out: the DevTools calls themselves and the Page tab.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv";
import type { Browser, Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchFirefox } from "../../src/cli/browsers";
import { PageRecording } from "../../src/engine/page/page-recording";
import { type Fixture, type FixtureServer, recorderSource, serveFixtures } from "./page-fixtures";

const KEY = "__loopbackLabRecorder_firefoxtest";
const schema = JSON.parse(
  readFileSync(join(import.meta.dirname, "../../src/engine/page/page-batch.schema.json"), "utf8"),
);
const validate = new Ajv({ allowUnionTypes: true }).compile(schema);

let browser: Browser;
let fixtures: FixtureServer;
let source: string;

beforeAll(async () => {
  [browser, fixtures, source] = await Promise.all([launchFirefox(), serveFixtures(), recorderSource()]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  fixtures?.close();
});

async function run(
  name: "channel" | "never-opens",
  withRecorder: boolean,
): Promise<{ page: Page; fixture: Fixture }> {
  const page = await browser.newPage();
  if (withRecorder) await page.evaluateOnNewDocument(`(${source})(${JSON.stringify(KEY)});`);
  await page.goto(fixtures.url(name));
  await page.waitForFunction(() => (window as { fixture?: Fixture }).fixture?.done === true, {
    timeout: 20_000,
  });
  return { page, fixture: await page.evaluate(() => (window as unknown as { fixture: Fixture }).fixture) };
}

/** Drains as the panel does (every batch through the schema), twice, so late events arrive too. */
async function record(page: Page): Promise<PageRecording> {
  const recording = new PageRecording(validate);
  recording.begin(new URL(page.url()).origin);
  for (let i = 0; i < 2; i++) {
    const batch = await page.evaluate(
      (key) =>
        (
          (Reflect.getOwnPropertyDescriptor(window, key) as PropertyDescriptor).value as { drain(): unknown }
        ).drain(),
      KEY,
    );
    expect(recording.ingest(batch)).toBeNull();
    await new Promise((r) => setTimeout(r, 300));
  }
  return recording;
}

describe("the page recorder in Firefox", () => {
  it("changes nothing the page sees: its own checks and tallies are the same with and without it", async () => {
    const plain = await run("channel", false);
    const recorded = await run("channel", true);
    expect(plain.fixture.error).toBeUndefined();
    expect(Object.values(plain.fixture.checks ?? {})).not.toContain(false);
    expect(recorded.fixture.checks).toEqual(plain.fixture.checks);
    expect(recorded.fixture.tally).toEqual(plain.fixture.tally);
    await plain.page.close();

    const recording = await record(recorded.page);
    const [a, b] = recording.connections;
    const tally = recorded.fixture.tally as NonNullable<Fixture["tally"]>;
    const chat = a?.channels[0];
    const other = b?.channels[0];
    expect([
      chat?.messagesSent,
      other?.messagesReceived,
      other?.messagesSent,
      chat?.messagesReceived,
    ]).toEqual([8, 8, 2, 2]);
    expect((chat?.bytesSent ?? 0) + (other?.bytesSent ?? 0)).toBe(tally.sent.bytes);
    expect((chat?.bytesReceived ?? 0) + (other?.bytesReceived ?? 0)).toBe(tally.received.bytes);
    const states = a?.watched.timeline
      .list()
      .filter((e) => e.source === "channel:1" && e.property === "readyState" && e.value !== "closing")
      .map((e) => e.value);
    expect(states).toEqual(["connecting", "open", "closed"]);
    expect(a?.watched.findings.map((f) => f.code)).toEqual(["channel-open"]);
    // Firefox hides host addresses behind mDNS names; the recorder keeps only the family.
    const candidates = a?.watched.timeline.list().filter((e) => e.kind === "candidate-gathered") ?? [];
    expect(candidates.length).toBeGreaterThan(0);
    expect(
      candidates.every((e) => /^gathered (host|srflx|relay|prflx) (udp|tcp) (mdns|ipv4|ipv6)$/.test(e.value)),
    ).toBe(true);
    await recorded.page.close();
  }, 90_000);

  it("a channel that can never open is reported with the stage it stopped at", async () => {
    const { page, fixture } = await run("never-opens", true);
    expect(fixture.error).toBeUndefined();
    const recording = await record(page);
    const notOpened = recording.connections[0]?.watched.findings.find(
      (f) => f.code === "page-channel-not-opened",
    );
    expect(notOpened?.message).toMatch(/^Channel "orders" \(local end\) never opened: ICE never connected/);
    await page.close();
  }, 60_000);
});
