// Opens the Loopback panel in Firefox's own DevTools toolbox, as a person does: the built extension
// installed as it ships, an ordinary page on 127.0.0.1 in a tab, the toolbox opened on that tab with
// Loopback selected. WebDriver BiDi cannot address the panel's document, so calls into it go through
// Firefox's browser window (see firefox-chrome-scope.ts for the internals relied on); the result is a
// frame-like object the automation client (lab()) and the tests use as they use a Puppeteer Frame.
import type { Browser, EvaluateFunc, Page } from "puppeteer-core";
import manifest from "../../manifest.json" with { type: "json" };
import { within } from "../engine/core/errors";
import { CHANNEL, openToolboxInChrome, panelFrameScript, type ToolboxOpened } from "./firefox-chrome-scope";

/** The add-on id in manifest.json, which Firefox's installExtension answers with. */
export const FIREFOX_ADDON_ID: string = manifest.browser_specific_settings.gecko.id;

/** How long each step of opening the toolbox may take. */
const STEP_TIMEOUT_MS = 20_000;
/** How often waitForFunction asks again. */
const POLL_MS = 100;

/** A step of opening the panel in Firefox's toolbox that failed; its message names the step. */
class ToolboxError extends Error {}

interface BidiLink {
  send(method: string, params: object, timeout?: number): Promise<{ result: unknown }>;
}

type RemoteValue = { type: string; value?: unknown };
type CallResult =
  | { type: "success"; result: RemoteValue }
  | { type: "exception"; exceptionDetails: { text: string } };

/** The panel's document in the toolbox, called into through the browser window's chrome scope. */
class ToolboxPanelFrame {
  constructor(
    private readonly link: BidiLink,
    private readonly chromeContext: string,
    /** The toolbox's id for the Loopback panel. */
    readonly toolId: string,
  ) {}

  /**
   * Runs `fn(...args)` (or an expression) in the panel's window; resolves with its result as JSON
   * carries it. Typed as Puppeteer's Frame.evaluate, so code written for a frame runs on either.
   */
  evaluate<Params extends unknown[], Func extends EvaluateFunc<Params> = EvaluateFunc<Params>>(
    fn: Func | string,
    ...args: Params
  ): Promise<Awaited<ReturnType<Func>>> {
    const source = typeof fn === "string" ? `() => (${fn})` : fn.toString();
    return this.run(source, args) as Promise<Awaited<ReturnType<Func>>>;
  }

  /** For lab(): a "handle" to what `getter` returns, on which functions are then called. */
  async evaluateHandle<T>(getter: () => T) {
    return {
      evaluate: (fn: (value: T, ...args: unknown[]) => unknown, ...args: unknown[]) =>
        this.run(`(...args) => (${fn.toString()})((${getter.toString()})(), ...args)`, args),
      dispose: async () => undefined,
    };
  }

  /** Polls `fn(...args)` in the panel until it is truthy; rejects after `timeout` ms (default 30 s). */
  async waitForFunction<Params extends unknown[], Func extends EvaluateFunc<Params> = EvaluateFunc<Params>>(
    fn: Func,
    options: { timeout?: number; polling?: number } = {},
    ...args: Params
  ): Promise<Awaited<ReturnType<Func>>> {
    const timeout = options.timeout ?? 30_000;
    const deadline = Date.now() + timeout;
    const exceeded = () => new Error(`Waiting failed: ${timeout} ms exceeded in the Loopback panel`);
    for (;;) {
      // A panel that never answers (its frame script not loaded) must not outlast the bound either.
      const value = await within(this.evaluate(fn, ...args), Math.max(0, deadline - Date.now()), exceeded);
      if (value) return value;
      if (Date.now() > deadline) throw exceeded();
      await new Promise((r) => setTimeout(r, options.polling ?? POLL_MS));
    }
  }

  /**
   * Runs `fn(...args)` in Firefox's browser window (chrome scope: DevTools' prefs, the window's
   * size), for what a person does around the panel: switch DevTools' theme, resize the window.
   */
  async inBrowserWindow<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Promise<Awaited<R>> {
    const answer = await callInChrome(
      this.link,
      this.chromeContext,
      `async (args) => JSON.stringify(await (${fn.toString()})(...JSON.parse(args)) ?? null)`,
      [JSON.stringify(args)],
    );
    return JSON.parse(String(answer)) as Awaited<R>;
  }

  /**
   * A PNG of Firefox's whole window (the page with the toolbox docked under it), base64. BiDi will
   * not capture a chrome-scope context, so the window and its two remote frames paint themselves.
   */
  async screenshotWindow(): Promise<string> {
    return String(
      await callInChrome(
        this.link,
        this.chromeContext,
        `() => window[${JSON.stringify(CHANNEL)}].screenshot()`,
        [],
      ),
    );
  }

  /** Selects a tool in the toolbox, as a click on its tab does ("inspector", or this panel's toolId). */
  async selectTool(id: string): Promise<void> {
    await callInChrome(
      this.link,
      this.chromeContext,
      `(id) => window[${JSON.stringify(CHANNEL)}].selectTool(id)`,
      [id],
    );
  }

  /** The JS heap of the panel's process (the extension's) after a garbage collection, in bytes. */
  async heapBytes(): Promise<number> {
    const answer = await callInChrome(
      this.link,
      this.chromeContext,
      `() => window[${JSON.stringify(CHANNEL)}].heapBytes()`,
      [],
    );
    const reply = JSON.parse(String(answer)) as { ok: boolean; json?: string; message?: string };
    if (!reply.ok || reply.json === undefined) throw new Error(reply.message ?? "no heap figure");
    return Number(JSON.parse(reply.json));
  }

  title(): Promise<string> {
    return this.evaluate(() => document.title);
  }

  private async run(source: string, args: unknown[]): Promise<unknown> {
    const answer = await callInChrome(
      this.link,
      this.chromeContext,
      `(source, args) => window[${JSON.stringify(CHANNEL)}].call(source, args)`,
      [source, JSON.stringify(args)],
    );
    const reply = JSON.parse(String(answer)) as { ok: boolean; json?: string; message?: string };
    if (!reply.ok) throw new Error(reply.message ?? "the Loopback panel gave no answer");
    return reply.json === undefined ? undefined : JSON.parse(reply.json);
  }
}

export interface FirefoxToolboxPanel {
  /** The inspected page's tab. */
  page: Page;
  /** The Loopback panel in the toolbox: window.loopbackLab is ready on it. */
  panel: ToolboxPanelFrame;
  extensionId: string;
}

/** Calls a function in Firefox's browser window; resolves with its string or number result. */
async function callInChrome(link: BidiLink, context: string, fn: string, args: string[]): Promise<unknown> {
  const { result } = (await link.send("script.callFunction", {
    functionDeclaration: fn,
    awaitPromise: true,
    target: { context },
    arguments: args.map((value) => ({ type: "string", value })),
    "moz:scope": "chrome",
  })) as { result: CallResult };
  if (result.type === "exception") throw new Error(result.exceptionDetails.text);
  return result.result.value;
}

/** The browser window's chrome-scope context, or a ToolboxError naming what Firefox refused. */
async function chromeWindow(link: BidiLink): Promise<string> {
  let tree: { contexts: { context: string; url: string }[] };
  try {
    tree = (await link.send("browsingContext.getTree", { "moz:scope": "chrome" })).result as typeof tree;
  } catch (error) {
    throw new ToolboxError(
      `Firefox refused chrome-scope access (browsingContext.getTree with "moz:scope": "chrome"); it must be started with --remote-allow-system-access (${String(error)})`,
    );
  }
  const window = tree.contexts.find((c) => c.url === "chrome://browser/content/browser.xhtml");
  if (!window)
    throw new ToolboxError("Firefox listed no browser window (chrome://browser/content/browser.xhtml)");
  return window.context;
}

/**
 * Installs `extensionDir` as it ships, opens `url` in a tab, and opens DevTools on it with the
 * Loopback panel selected. Resolves once the panel's script has exposed window.loopbackLab; each
 * step is bounded, and a failure names the step.
 */
export async function openFirefoxToolbox(
  browser: Browser,
  extensionDir: string,
  { url }: { url: string },
): Promise<FirefoxToolboxPanel> {
  const extensionId = await browser.installExtension(extensionDir);
  if (extensionId !== FIREFOX_ADDON_ID)
    throw new ToolboxError(`Firefox installed the extension as ${extensionId}, not as ${FIREFOX_ADDON_ID}`);
  const page = (await browser.pages())[0] ?? (await browser.newPage());
  await page.goto(url, { timeout: STEP_TIMEOUT_MS });
  const link = (browser as unknown as { connection: BidiLink }).connection;
  const context = await chromeWindow(link);
  const opened = JSON.parse(
    String(
      await callInChrome(
        link,
        context,
        `async (...args) => JSON.stringify(await (${openToolboxInChrome.toString()})(args[0], args[1], args[2], args[3], Number(args[4])))`,
        [extensionId, page.url(), `${panelFrameScript.toString()}`, CHANNEL, String(STEP_TIMEOUT_MS)],
      ),
    ),
  ) as ToolboxOpened;
  if (!opened.ok)
    throw new ToolboxError(
      `Opening the Loopback panel in Firefox's toolbox failed at ${opened.step}: ${opened.message}`,
    );
  const panel = new ToolboxPanelFrame(link, context, opened.toolId);
  try {
    await panel.waitForFunction(() => "loopbackLab" in window, { timeout: STEP_TIMEOUT_MS });
  } catch (error) {
    throw new ToolboxError(
      `The Loopback panel opened in Firefox's toolbox, but its script did not start: ${String(error)}`,
    );
  }
  return { page, panel, extensionId };
}
