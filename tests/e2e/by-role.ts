// Finds the panel's controls the way a person using a screen reader would: by role and accessible
// name. Works on any frame, whichever browser shows the panel.
import type { ElementHandle, Frame } from "puppeteer-core";

export async function byRole(frame: Frame, role: string, name: string): Promise<ElementHandle<Element>> {
  const handle = await frame.waitForSelector(`::-p-aria([name="${name}"][role="${role}"])`, {
    timeout: 10_000,
  });
  if (!handle) throw new Error(`No ${role} named "${name}"`);
  return handle;
}

export async function isDisabled(frame: Frame, role: string, name: string): Promise<boolean> {
  return (await byRole(frame, role, name)).evaluate(
    (el) => (el as HTMLButtonElement | HTMLInputElement).disabled,
  );
}

/** Which of the sample's controls are enabled. */
export async function controlStates(frame: Frame) {
  return {
    connect: !(await isDisabled(frame, "button", "Connect")),
    disconnect: !(await isDisabled(frame, "button", "Disconnect")),
    send: !(await isDisabled(frame, "button", "Send")),
    message: !(await isDisabled(frame, "textbox", "Message")),
  };
}

/** The sample's controls before connecting and after any session ends: only Connect. */
export const IDLE_CONTROLS = { connect: true, disconnect: false, send: false, message: false };
/** The sample's controls while the channel is open: everything but Connect. */
export const OPEN_CONTROLS = { connect: false, disconnect: true, send: true, message: true };

/** Shows one of the details tabs (Messages, Throughput, Diagnosis, Report), as a click on it would. */
export async function showTab(frame: Frame, name: string): Promise<void> {
  await (await byRole(frame, "tab", name)).click();
  await frame.waitForFunction(
    (n) =>
      [...document.querySelectorAll('[role="tab"]')].some(
        (t) => t.textContent === n && t.getAttribute("aria-selected") === "true",
      ),
    {},
    name,
  );
}
