// Scripts that run inside Firefox's own browser window (its chrome scope, reached over WebDriver
// BiDi when Firefox was started with --remote-allow-system-access), and in the panel's frame. They
// use Firefox internals, not public API; each step reports which piece it relied on, so a Firefox
// that changed one fails at once with that name instead of hanging. Pinned on Firefox ESR 153:
// - the DevTools loader, resource://devtools/shared/loader/Loader.sys.mjs, and its gDevTools;
// - gDevTools.showToolboxForTab(tab, { hostType }) and toolbox.getAdditionalTools(), whose extension
//   panels carry an extensionId, and toolbox.selectTool(id);
// - the panel's document in a <browser> inside the toolbox frame "toolbox-panel-iframe-<tool id>";
// - that browser's message manager (loadFrameScript, sendAsyncMessage), and a frame script's
//   Cu.Sandbox and Cu.evalInSandbox to call a function in the panel's own window;
// - for screenshots, the 2D canvas's chrome-only drawWindow (the window's own documents: tabs,
//   toolbar, the toolbox) and each remote <browser>'s browsingContext.currentWindowGlobal.drawSnapshot
//   (the page and the panel, drawn over it where their frames are). The window's own drawSnapshot
//   painted the toolbox and the panel light while DevTools' dark theme was on;
// - for a test's memory bound, a frame script's Cu.forceGC and Cu.getJSTestingFunctions().gcparam;
// - to reopen DevTools as a person would, gDevTools.closeToolboxForTab(tab).
// Serialised with Function.prototype.toString: no imports, no closures, no named inner functions.

/** What the chrome-scope script answers: the tool's id, or the step that failed and why. */
export type ToolboxOpened = { ok: true; toolId: string } | { ok: false; step: string; message: string };

/** The global the chrome-scope script leaves in the browser window: a way to call into the panel. */
export const CHANNEL = "__loopbackLabToolbox";

/**
 * In the browser window: opens DevTools on the tab showing `pageUrl`, docked at the bottom, selects
 * the extension's panel, loads `frameScript` into the panel's <browser>, and leaves
 * window[CHANNEL].call(source, argsJson) to run a function there. Its waits end within `waitMs`.
 */
export async function openToolboxInChrome(
  extensionId: string,
  pageUrl: string,
  frameScript: string,
  channel: string,
  waitMs: number,
): Promise<ToolboxOpened> {
  // biome-ignore lint/suspicious/noExplicitAny: Firefox's chrome-scope globals have no types here.
  const w = window as any;
  const deadline = Date.now() + waitMs;
  const pause = () => new Promise((r) => setTimeout(r, 50));
  let step = "the DevTools loader (resource://devtools/shared/loader/Loader.sys.mjs)";
  try {
    const loader = w.ChromeUtils.importESModule("resource://devtools/shared/loader/Loader.sys.mjs");
    step = "gDevTools (devtools/client/framework/devtools)";
    const { gDevTools } = loader.require("devtools/client/framework/devtools");
    step = `the tab showing ${pageUrl} (gBrowser.tabs)`;
    const tab = w.gBrowser.tabs.find(
      (t: { linkedBrowser: { currentURI: { spec: string } } }) => t.linkedBrowser.currentURI.spec === pageUrl,
    );
    if (!tab) return { ok: false, step, message: "no tab shows that page" };
    w.gBrowser.selectedTab = tab;
    step = "gDevTools.showToolboxForTab";
    const toolbox = await gDevTools.showToolboxForTab(tab, { hostType: "bottom" });
    step = "the extension's panel among toolbox.getAdditionalTools() (by extensionId)";
    const findTool = () =>
      toolbox.getAdditionalTools().find((t: { extensionId?: string }) => t.extensionId === extensionId);
    while (!findTool() && Date.now() < deadline) await pause();
    const tool = findTool();
    if (!tool) return { ok: false, step, message: `no tool has extensionId ${extensionId}` };
    step = "toolbox.selectTool";
    await toolbox.selectTool(tool.id);
    step = `the panel's <browser> in the frame toolbox-panel-iframe-${tool.id}, showing a moz-extension: page`;
    const findBrowser = () =>
      toolbox.doc
        .getElementById(`toolbox-panel-iframe-${tool.id}`)
        ?.contentDocument?.querySelector("browser");
    while (!findBrowser()?.currentURI?.spec.startsWith("moz-extension:") && Date.now() < deadline)
      await pause();
    const panel = findBrowser();
    if (!panel?.currentURI?.spec.startsWith("moz-extension:"))
      return { ok: false, step, message: `it shows ${panel?.currentURI?.spec ?? "nothing"}` };
    step = "the panel browser's message manager (loadFrameScript)";
    const mm = panel.messageManager;
    const pending = new Map<number, (reply: unknown) => void>();
    let next = 0;
    // Replies go back as JSON: BiDi then carries a string, whatever the value.
    mm.addMessageListener(`${channel}:reply`, ({ data }: { data: { id: number } }) => {
      pending.get(data.id)?.(data);
      pending.delete(data.id);
    });
    mm.loadFrameScript(`data:,(${encodeURIComponent(frameScript)})(${JSON.stringify(channel)})`, false);
    // A message to the frame script, answered by id; a panel whose document went (the toolbox
    // closed) never answers: say so instead of waiting.
    const ask = (name: string, data: object) =>
      new Promise((resolve) => {
        const id = ++next;
        const watch = setInterval(() => {
          if (panel.isConnected && panel.messageManager === mm) return;
          clearInterval(watch);
          pending.delete(id);
          resolve(JSON.stringify({ ok: false, message: "the Loopback panel closed before it answered" }));
        }, 500);
        pending.set(id, (reply) => {
          clearInterval(watch);
          resolve(JSON.stringify(reply));
        });
        mm.sendAsyncMessage(`${channel}:${name}`, { id, ...data });
      });
    w[channel] = {
      call: (source: string, args: string) => ask("call", { source, args }),
      heapBytes: () => ask("heap", {}),
      toolId: tool.id,
      selectTool: (id: string) => toolbox.selectTool(id).then(() => true),
      screenshot: async () => {
        const canvas = w.document.createElementNS("http://www.w3.org/1999/xhtml", "canvas");
        canvas.width = w.innerWidth;
        canvas.height = w.innerHeight;
        const context = canvas.getContext("2d");
        context.drawWindow(w, 0, 0, canvas.width, canvas.height, "white");
        // The page and the panel live in other processes: each paints itself, placed where its frame is.
        for (const remote of [w.gBrowser.selectedBrowser, panel]) {
          const box = remote.getBoundingClientRect();
          const bitmap = await remote.browsingContext.currentWindowGlobal.drawSnapshot(null, 1, "white");
          const x = remote.ownerDocument.defaultView.mozInnerScreenX - w.mozInnerScreenX + box.left;
          const y = remote.ownerDocument.defaultView.mozInnerScreenY - w.mozInnerScreenY + box.top;
          context.drawImage(bitmap, x, y, box.width, box.height);
        }
        return String(canvas.toDataURL("image/png")).replace(/^data:image\/png;base64,/, "");
      },
    };
    return { ok: true, toolId: tool.id };
  } catch (error) {
    return { ok: false, step, message: String((error as Error)?.message ?? error) };
  }
}

/** In the browser window: closes DevTools on the selected tab, as a person closing them would. */
export async function closeToolboxInChrome(): Promise<boolean> {
  // biome-ignore lint/suspicious/noExplicitAny: Firefox's chrome-scope globals have no types here.
  const w = window as any;
  const loader = w.ChromeUtils.importESModule("resource://devtools/shared/loader/Loader.sys.mjs");
  const { gDevTools } = loader.require("devtools/client/framework/devtools");
  await gDevTools.closeToolboxForTab(w.gBrowser.selectedTab);
  return true;
}

/**
 * The frame script, in the panel's <browser>: runs each function it is sent in the panel's own
 * window (a sandbox with that window as its prototype and without Xrays: the page's own objects,
 * under the page's principal) and answers with its result as JSON, or its error's message.
 */
export function panelFrameScript(channel: string): void {
  // Frame-script globals, used by their free names (globalThis there is not the script's scope).
  // The JS heap of the panel's process after a garbage collection, for a test's memory bound.
  addMessageListener(`${channel}:heap`, ({ data }: { data: { id: number } }) => {
    try {
      Cu.forceGC();
      const bytes = Cu.getJSTestingFunctions().gcparam("gcBytes");
      sendAsyncMessage(`${channel}:reply`, { id: data.id, ok: true, json: JSON.stringify(bytes) });
    } catch (error) {
      sendAsyncMessage(`${channel}:reply`, { id: data.id, ok: false, message: String(error) });
    }
  });
  addMessageListener(
    `${channel}:call`,
    async ({ data }: { data: { id: number; source: string; args: string } }) => {
      try {
        const sandbox = Cu.Sandbox(content, {
          sandboxPrototype: content,
          wantXrays: false,
          sameZoneAs: content,
        });
        // JSON is made in the panel's realm, so the reply carries data only.
        const run = Cu.evalInSandbox(
          `(async (args) => { const value = await (${data.source})(...JSON.parse(args)); return value === undefined ? undefined : JSON.stringify(value); })`,
          sandbox,
        ) as (args: string) => Promise<string | undefined>;
        const json = await run(data.args);
        sendAsyncMessage(`${channel}:reply`, { id: data.id, ok: true, json });
      } catch (error) {
        const message = String((error as Error)?.message ?? error);
        sendAsyncMessage(`${channel}:reply`, { id: data.id, ok: false, message });
      }
    },
  );
}

// What a frame script has in scope, as far as panelFrameScript uses it.
declare const content: Window;
declare function addMessageListener(name: string, listener: (message: { data: never }) => void): void;
declare function sendAsyncMessage(name: string, data: unknown): void;
declare const Cu: {
  Sandbox(principal: unknown, options: object): object;
  evalInSandbox(source: string, sandbox: object): unknown;
  forceGC(): void;
  getJSTestingFunctions(): { gcparam(name: "gcBytes"): number };
};
