// Test fixture: the page-connection fixture pages (tests/e2e/page-fixtures/*.html) served from
// 127.0.0.1 by the test itself, and the page recorder bundled exactly as build.mjs bundles it.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import * as esbuild from "esbuild";
import type { Page } from "puppeteer-core";
import { afterAll, beforeAll } from "vitest";
import type { PageConnectionInfo } from "../../src/contract/automation";
import { type LabFrame, lab } from "../../src/contract/lab-client";

const DIR = join(import.meta.dirname, "page-fixtures");

/** What a fixture page leaves in window.fixture: its own checks and its own tally of what it sent. */
export interface Fixture {
  done: boolean;
  error?: string;
  checks?: Record<string, boolean>;
  tally?: {
    sent: { messages: number; bytes: number };
    received: { messages: number; bytes: number };
    refused: number;
  };
}

export interface FixtureServer {
  url(
    name:
      | "channel"
      | "never-opens"
      | "hostile"
      | "framed"
      | "early-candidates"
      | "bad-description"
      | "unanswered"
      | "turn-relay"
      | "busy"
      | "many"
      | "healthy"
      | "negotiated-mismatch"
      | "flood"
      | "forges-probe",
  ): string;
  close(): void;
}

export async function serveFixtures(): Promise<FixtureServer> {
  const server = createServer((request, response) => {
    const name = /^\/([a-z-]+)\.html(?:\?.*)?$/.exec(request.url ?? "")?.[1];
    try {
      const body = readFileSync(join(DIR, `${name}.html`));
      response.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: (name) => `http://127.0.0.1:${port}/${name}.html`, close: () => server.close() };
}

/** The fixtures served for a test file's lifetime; its `url` is for use inside the tests. */
export function useFixtureServer(): FixtureServer {
  let server: FixtureServer | undefined;
  beforeAll(async () => {
    server = await serveFixtures();
  }, 60_000);
  afterAll(() => server?.close());
  return {
    url(name) {
      if (!server) throw new Error("the fixture server is not up: read its URLs inside a test");
      return server.url(name);
    },
    close: () => server?.close(),
  };
}

/** The recorder's source as the panel injects it: a function expression taking the recorder's key. */
export async function recorderSource(): Promise<string> {
  const result = await esbuild.build({
    entryPoints: [join(import.meta.dirname, "..", "..", "src", "page-recorder", "recorder.ts")],
    bundle: true,
    write: false,
    format: "iife",
    globalName: "recorder",
    target: ["chrome120", "firefox128"],
    minify: true,
  });
  return `(function(key){${result.outputFiles[0]?.text};recorder.install(key)})`;
}

/**
 * Helpers for a suite with a fixture page open under the panel (`open` is read at each call, as
 * the suites' open panel is set up in beforeAll).
 */
export function fixtureHelpers(open: { readonly page: Page; readonly panel: LabFrame }) {
  return {
    /** The fixture page's own checks and tally, once it says it is done (bounded). */
    fixtureResult: async (): Promise<Fixture> => {
      await open.page.waitForFunction(() => (window as { fixture?: Fixture }).fixture?.done === true, {
        timeout: 20_000,
      });
      return open.page.evaluate(() => (window as unknown as { fixture: Fixture }).fixture);
    },
    /** Polls the panel until `ready` holds of its page connections (bounded). */
    connectionsWhen: async (
      ready: (list: PageConnectionInfo[]) => boolean,
    ): Promise<PageConnectionInfo[]> => {
      for (let i = 0; i < 100; i++) {
        const list = await lab(open.panel).call("pageConnections");
        if (ready(list)) return list;
        await new Promise((r) => setTimeout(r, 100));
      }
      return lab(open.panel).call("pageConnections");
    },
  };
}
