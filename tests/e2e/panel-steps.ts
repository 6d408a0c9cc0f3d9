// What a person does and reads in the Loopback panel, in either browser: shared by the Chrome and
// Firefox suites so both test the same flow the same way.
import type { Frame } from "puppeteer-core";
import type { TimelineEntry } from "../../src/engine/timeline";
import { byRole } from "./by-role";

export function panelSteps(frame: () => Frame) {
  const timeline = (): Promise<TimelineEntry[]> =>
    frame().evaluate(() => window.loopbackLab.report().timeline);
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

  return { timeline, receivedTexts, noticeText, phase, waitForOpen, waitForIdle, typeAndSend };
}
