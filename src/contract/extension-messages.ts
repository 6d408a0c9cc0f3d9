// Messages between the extension's own contexts (runtime.sendMessage), one home for both ends.

/** The panel asks Firefox's background script for the browser's whole version; it answers a string. */
export const BROWSER_VERSION_REQUEST = "loopback-lab:browser-version";
