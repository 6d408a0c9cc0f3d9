// What a person does and reads in the Loopback panel, in either browser: shared by the Chrome and
// Firefox suites so both test the same flow the same way.
import type { Frame } from "puppeteer-core";
import { expect } from "vitest";
import { lab } from "../../src/contract/lab-client";
import type { TimelineEntry } from "../../src/engine/watch/timeline";
import { byRole } from "./by-role";

/** Markup that would run or render if the panel ever parsed received text, plus emoji and RTL. */
export const HOSTILE_MESSAGES = [
  "hello, loopback",
  `<img src=x onerror="window.__pwned = true">`,
  "<script>window.__pwned = true</script><b>bold?</b>",
  "emoji 🙂👩‍👩‍👧 and RTL: שלום עולם مرحبا",
];

export function panelSteps(frame: () => Frame) {
  const timeline = async (): Promise<TimelineEntry[]> => (await lab(frame()).call("report")).timeline;
  const receivedTexts = (): Promise<string[]> =>
    frame().evaluate(() =>
      [...document.querySelectorAll('[role="log"][aria-label="Messages received"] li')].map(
        (li) => li.textContent ?? "",
      ),
    );
  const noticeText = (): Promise<string> =>
    frame().evaluate(() => document.querySelector('[role="alert"]')?.textContent ?? "");
  const phase = (): Promise<string> =>
    frame().evaluate(() => document.querySelector('[role="status"]')?.textContent ?? "");

  async function waitForOpen(): Promise<void> {
    await frame().waitForFunction(() => !(document.getElementById("message") as HTMLInputElement).disabled, {
      timeout: 20_000,
    });
  }
  async function waitForIdle(): Promise<void> {
    await frame().waitForFunction(() => !(document.getElementById("connect") as HTMLButtonElement).disabled, {
      timeout: 20_000,
    });
  }
  async function typeAndSend(text: string, via: "enter" | "click"): Promise<void> {
    const box = await byRole(frame(), "textbox", "Message");
    await box.evaluate((el) => {
      (el as HTMLInputElement).value = "";
    });
    await box.type(text);
    if (via === "enter") await box.press("Enter");
    else await (await byRole(frame(), "button", "Send")).click();
  }

  /** Types each message (Enter and Send in turn) and checks all arrived as text, with nothing run. */
  async function sendAndSeeText(messages: string[]): Promise<void> {
    for (const [i, text] of messages.entries()) await typeAndSend(text, i % 2 === 0 ? "enter" : "click");
    await frame().waitForFunction(
      (n) => document.querySelectorAll("#received li").length >= n,
      {},
      messages.length,
    );
    expect(await receivedTexts()).toEqual(messages);
    const parsed = await frame().evaluate(() => ({
      elements: document.querySelectorAll("#received img, #received script, #received b").length,
      pwned: "__pwned" in window,
    }));
    expect(parsed).toEqual({ elements: 0, pwned: false });
    // Sent messages leave the box empty for the next one.
    expect(
      await (await byRole(frame(), "textbox", "Message")).evaluate((el) => (el as HTMLInputElement).value),
    ).toBe("");
  }

  /** One lane's entries as the table shows them: its time column and value. */
  const tableRows = (source: string, property: string) =>
    frame().$$eval(
      "#timeline tbody tr",
      (rows, s, p) =>
        rows
          .filter((r) => (r as HTMLElement).dataset.source === s && (r as HTMLElement).dataset.property === p)
          .map((r) => ({ t: r.cells[0]?.textContent ?? "", value: r.cells[3]?.textContent ?? "" })),
      source,
      property,
    );

  /** Each value in the table has its segment in the "State lanes", named with the table's times. */
  async function expectLaneLikeTable(source: string, property = "readyState"): Promise<string[]> {
    const rows = await tableRows(source, property);
    const lanes = await byRole(frame(), "group", "State lanes");
    for (const [i, row] of rows.entries()) {
      const next = rows[i + 1];
      const name = `${source} ${property} ${row.value} from ${row.t} ms to ${next ? `${next.t} ms` : "now"}`;
      const found = await lanes.$(`::-p-aria([name="${name}"][role="button"])`);
      expect(found, name).not.toBeNull();
    }
    return rows.map((r) => r.value);
  }

  return {
    timeline,
    tableRows,
    expectLaneLikeTable,
    receivedTexts,
    noticeText,
    phase,
    waitForOpen,
    waitForIdle,
    typeAndSend,
    sendAndSeeText,
  };
}
