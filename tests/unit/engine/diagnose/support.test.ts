// Interpreting feature detection: is RTCPeerConnection the browser's own, and what a missing feature means.
import { describe, expect, it } from "vitest";
import {
  SUPPORT_CHECK_IDS,
  SUPPORT_FINDING_CODES,
  type SupportCheck,
  supportFindings,
} from "../../../../src/engine/diagnose/support";
import { isNativeFunction, nativeProblems } from "../../../../src/engine/diagnose/support-api";
import { allSupported } from "../../report-fixture";

const sourceOf = Function.prototype.toString;

/** A stand-in with the native shape: Node has no RTCPeerConnection, but its built-ins are native code. */
function nativeLike() {
  // A native constructor's prototype methods, re-homed on a prototype that inherits from EventTarget.
  const prototype = Object.create(EventTarget.prototype);
  for (const method of ["createDataChannel", "createOffer", "setLocalDescription", "addIceCandidate"])
    Object.defineProperty(prototype, method, { value: Math.max, configurable: true, writable: true });
  const ctor = Object.defineProperty(URL.bind(null), "name", { value: "RTCPeerConnection" });
  Object.defineProperty(ctor, "prototype", { value: prototype });
  Object.defineProperty(prototype, "constructor", { value: ctor });
  return ctor;
}

describe("isNativeFunction", () => {
  it("tells engine built-ins from script functions", () => {
    expect(isNativeFunction(Math.max, sourceOf)).toBe(true);
    expect(isNativeFunction(class RTCPeerConnection {}, sourceOf)).toBe(false);
    expect(isNativeFunction(() => "[native code]", sourceOf)).toBe(false);
    expect(isNativeFunction("function () { [native code] }", sourceOf)).toBe(false);
  });
});

describe("nativeProblems", () => {
  it("finds nothing wrong with a native-shaped constructor", () => {
    expect(
      nativeProblems({ RTCPeerConnection: nativeLike(), EventTarget, functionToString: sourceOf }),
    ).toEqual([]);
  });

  it("notices a page script's replacement", () => {
    class RTCPeerConnection extends EventTarget {
      createDataChannel() {}
    }
    const problems = nativeProblems({ RTCPeerConnection, EventTarget, functionToString: sourceOf });
    expect(problems).toContain("RTCPeerConnection is a script's function");
    expect(problems).toContain("RTCPeerConnection.prototype.createDataChannel is replaced");
  });

  it("notices a wrapper that keeps the native constructor but swaps a method or the prototype chain", () => {
    const swapped = nativeLike();
    Object.defineProperty(swapped.prototype, "createOffer", { value: async () => ({}) });
    expect(nativeProblems({ RTCPeerConnection: swapped, EventTarget, functionToString: sourceOf })).toEqual([
      "RTCPeerConnection.prototype.createOffer is replaced",
    ]);
    const detached = nativeLike();
    Object.setPrototypeOf(detached.prototype, Object.prototype);
    expect(nativeProblems({ RTCPeerConnection: detached, EventTarget, functionToString: sourceOf })).toEqual([
      "RTCPeerConnection.prototype does not inherit from EventTarget.prototype",
    ]);
  });

  it("does not trust a replaced Function.prototype.toString, and reports a missing constructor", () => {
    const liar = function sourceText() {
      return "function () { [native code] }";
    };
    expect(nativeProblems({ RTCPeerConnection: nativeLike(), EventTarget, functionToString: liar })).toEqual([
      "Function.prototype.toString itself is replaced, so nothing can be verified",
    ]);
    expect(nativeProblems({ RTCPeerConnection: undefined, EventTarget, functionToString: sourceOf })).toEqual(
      ["RTCPeerConnection is not a function"],
    );
  });
});

describe("supportFindings", () => {
  const without = (...missing: SupportCheck["id"][]): SupportCheck[] =>
    allSupported().map((c) =>
      missing.includes(c.id) ? { id: c.id, status: "no", detail: `tried ${c.id}` } : c,
    );

  it("finds nothing when everything worked or could not be tried", () => {
    expect(supportFindings({ checks: allSupported() })).toEqual([]);
    const untried = SUPPORT_CHECK_IDS.map(
      (id): SupportCheck => ({ id, status: "not-checked", detail: "no connection" }),
    );
    expect(supportFindings({ checks: untried })).toEqual([]);
  });

  it("fails without RTCPeerConnection or data channels, and warns for features applications rely on", () => {
    const found = supportFindings({
      checks: without(
        "rtc-peer-connection",
        "data-channel",
        "native-peer-connection",
        "buffered-amount-low",
        "partial-reliability",
      ),
    });
    expect(found.map((f) => `${f.level} ${f.code}`)).toEqual([
      "fail no-rtcpeerconnection",
      "warn peer-connection-replaced",
      "fail no-data-channels",
      "warn no-buffered-amount-low",
      "warn partial-reliability-failed",
    ]);
    expect(found[3]?.message).toContain("tried buffered-amount-low");
  });

  it("treats missing data-channel statistics as a browser difference, not a problem", () => {
    expect(supportFindings({ checks: without("data-channel-stats") })).toEqual([]);
    expect(SUPPORT_FINDING_CODES).not.toContain("data-channel-stats");
  });
});
