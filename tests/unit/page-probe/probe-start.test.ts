import { afterEach, describe, expect, it } from "vitest";
import type { ProbeSecret } from "../../../src/contract/probe-seal";
import { unsealed } from "../../../src/engine/page/web-page-probe";
import { start } from "../../../src/page-probe/probe";

const KEY = "__loopbackLabProbe_test";
const globals = globalThis as unknown as Record<string, unknown>;
afterEach(() => {
  delete globals[KEY];
});

describe("the probe in a page (here without RTCPeerConnection)", () => {
  it("leaves a reader, not its result: writing the global's fields changes nothing the panel takes", async () => {
    const secret: ProbeSecret = [11, 22, 33, 44];
    start(KEY, secret);
    const read = globals[KEY] as () => unknown;
    expect(typeof read).toBe("function");
    await new Promise((resolve) => setTimeout(resolve, 10));
    const answer = read() as { json: string; seal: string };
    // What a page could do with what it finds: change the answer it was handed.
    const tampered = { ...answer, json: answer.json.replace('"api":false', '"api":true') };
    expect(unsealed(tampered, secret)).toBeNull();
    expect(unsealed(read(), secret)).toMatchObject({ api: false, opened: false });
  });
});
