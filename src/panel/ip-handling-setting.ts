// The browser's WebRTC IP-handling setting, through the privacy API: an optional permission, asked for
// only when the person presses "Read privacy settings" (a click is needed for the browser's prompt).
// Without it the diagnosis says the setting could not be read, and why.
import type { IpHandlingSetting } from "../engine/page/web-page-probe";

interface Setting {
  get(details: object, callback: (d: { value: unknown; levelOfControl: string }) => void): void;
}
interface Permissions {
  contains(p: { permissions: string[] }, callback: (granted: boolean) => void): void;
  request(p: { permissions: string[] }, callback: (granted: boolean) => void): void;
}
interface Chrome {
  permissions?: Permissions;
  privacy?: { network?: { webRTCIPHandlingPolicy?: Setting } };
}

const chromeApi = () => (globalThis as { chrome?: Chrome }).chrome;
const PRIVACY = { permissions: ["privacy"] };

/** Whether this page can ask for the permission at all: Firefox gives DevTools panels no permissions API. */
export function canAskForPrivacy(): boolean {
  return typeof chromeApi()?.permissions?.request === "function";
}

export async function readIpHandling(): Promise<IpHandlingSetting> {
  const permissions = chromeApi()?.permissions;
  if (!permissions) return { unread: "no-permissions-api" };
  const granted = await new Promise<boolean>((resolve) => permissions.contains(PRIVACY, resolve));
  if (!granted) return { unread: "not-granted" };
  const setting = chromeApi()?.privacy?.network?.webRTCIPHandlingPolicy;
  if (!setting) return { unread: "no-setting" };
  const read = await new Promise<{ value: unknown; levelOfControl: string }>((resolve) =>
    setting.get({}, resolve),
  );
  return { value: String(read.value), levelOfControl: String(read.levelOfControl) };
}

/** Asks for the optional permission; must run in a click handler. Resolves with whether it was granted. */
export function requestPrivacyPermission(): Promise<boolean> {
  const permissions = chromeApi()?.permissions;
  if (!permissions) return Promise.resolve(false);
  return new Promise((resolve) => permissions.request(PRIVACY, (granted) => resolve(Boolean(granted))));
}
