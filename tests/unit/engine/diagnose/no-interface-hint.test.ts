import { describe, expect, it } from "vitest";
import { noInterfaceHint } from "../../../../src/engine/diagnose/no-interface-hint";

describe("noInterfaceHint", () => {
  it("tells a machine without a network, without a default route, and a limited browser apart", () => {
    expect(noInterfaceHint({ interfaces: [], defaultRoute: false }, false)).toMatch(
      /^This machine has no interface with an address besides loopback \(diagnose looked\)/,
    );
    expect(noInterfaceHint({ interfaces: ["lab0"], defaultRoute: false }, false)).toMatch(
      /^This machine has an address on lab0 but no default route \(diagnose looked\): Firefox gathers nothing without one/,
    );
    expect(noInterfaceHint({ interfaces: ["lab0", "eth0"], defaultRoute: true }, false)).toMatch(
      /^This machine has an address on lab0, eth0 and a default route \(diagnose looked\), yet the browser gathered nothing: a browser setting or policy limits WebRTC, such as Firefox's media\.peerconnection\.ice\.proxy_only/,
    );
  });

  it("keeps the catalogue's hint without evidence, and says what --allow-loopback changes", () => {
    expect(noInterfaceHint(undefined, false)).toBeUndefined();
    expect(noInterfaceHint({ interfaces: ["eth0"], defaultRoute: null }, false)).toBeUndefined();
    expect(noInterfaceHint(undefined, true)).toMatch(
      /^The browser was started with loopback candidates allowed/,
    );
    expect(noInterfaceHint({ interfaces: [], defaultRoute: false }, true)).toMatch(
      /^The browser was started with loopback candidates allowed .* This machine has no interface with an address/,
    );
  });
});
