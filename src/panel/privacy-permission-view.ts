// The "Read privacy settings" button: asks for the optional privacy permission (a click is what lets
// the browser show its prompt), then shows the WebRTC IP-handling setting the next diagnosis will name.
import { byId } from "./elements";
import { canAskForPrivacy, readIpHandling, requestPrivacyPermission } from "./ip-handling-setting";

export function mountPrivacyPermissionView(): void {
  const button = byId("read-privacy", HTMLButtonElement);
  const status = byId("privacy-status", HTMLSpanElement);
  if (!canAskForPrivacy()) {
    // A button that could only answer "not allowed" without asking anyone would mislead.
    button.hidden = true;
    status.textContent =
      "The privacy settings cannot be read here: the browser gives this DevTools panel no permissions API.";
    return;
  }
  const show = async () => {
    const setting = await readIpHandling();
    if ("unread" in setting) return false;
    status.textContent = `WebRTC IP handling: "${setting.value}" (${setting.levelOfControl.replaceAll("_", " ")}).`;
    return true;
  };
  void show().then((known) => {
    button.hidden = known;
  });
  button.addEventListener("click", () => {
    void requestPrivacyPermission().then(async (granted) => {
      if (!granted) {
        status.textContent = "Not allowed: the diagnosis will say the setting could not be read.";
        return;
      }
      button.hidden = await show();
    });
  });
}
