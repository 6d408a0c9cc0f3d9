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
