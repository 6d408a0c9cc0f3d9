// Set-up shared by the e2e files: something opened before the tests of a file (or of the describe
// block the call is in) and closed after them, with Vitest's beforeAll and afterAll.
import { afterAll, beforeAll } from "vitest";

/**
 * Registers a beforeAll that opens `open()` and an afterAll that closes what it opened, and returns
 * a getter for it. The getter throws until the beforeAll has run: call it in tests and hooks, not
 * while the file loads. Hooks registered after this call run after the opening and before the
 * closing (Vitest runs beforeAll hooks in order and afterAll hooks in reverse).
 */
export function openForSuite<T extends { close(): Promise<void> }>(
  what: string,
  open: () => Promise<T>,
  timeout?: number,
): () => T {
  let current: T | undefined;
  beforeAll(async () => {
    current = await open();
  }, timeout);
  afterAll(async () => {
    await current?.close();
  });
  return () => {
    if (!current) throw new Error(`${what} is not open: read it in a test or a hook, after its beforeAll.`);
    return current;
  };
}

/** An object whose fields read `get()`'s fields when read: what a suite's tests hold on to. */
export function fieldsOf<T extends object, K extends keyof T>(get: () => T, keys: readonly K[]): Pick<T, K> {
  const fields = {} as Pick<T, K>;
  for (const key of keys) Object.defineProperty(fields, key, { get: () => get()[key], enumerable: true });
  return fields;
}
