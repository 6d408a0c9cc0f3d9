// The support checks that need no connection: is WebRTC here, is it the browser's own (not a
// script's wrapper), and can it make data channels.
import { errorText } from "../core/errors";
import { check, notChecked, type SupportCheck } from "./support";

const NATIVE_SOURCE = /^function\s*[\w$]*\s*\(\)\s*\{\s*\[native code\]\s*\}$/;

/** True when the function's source is the engine's "[native code]" placeholder, i.e. not a script's. */
export function isNativeFunction(fn: unknown, sourceOf: (this: unknown) => string): boolean {
  if (typeof fn !== "function") return false;
  try {
    return NATIVE_SOURCE.test(sourceOf.call(fn));
  } catch {
    return false;
  }
}

/** What a native-ness check looks at; the page's globals in the panel, fakes in unit tests. */
export interface NativeScope {
  RTCPeerConnection?: unknown;
  EventTarget: unknown;
  functionToString: (this: unknown) => string;
}

/**
 * Reasons to believe RTCPeerConnection is not the browser's own: a script's source, a broken
 * prototype chain, methods swapped out. A Proxy around the native constructor passes (engines
 * report proxies as native code); no check from inside the page can see through that.
 */
export function nativeProblems(scope: NativeScope): string[] {
  const { functionToString } = scope;
  const problems: string[] = [];
  // A replaced toString can claim anything is native, itself included: it must also call one of
  // our own functions a script's.
  const probe = () => undefined;
  if (!isNativeFunction(functionToString, functionToString) || isNativeFunction(probe, functionToString))
    return ["Function.prototype.toString itself is replaced, so nothing can be verified"];
  const pc = scope.RTCPeerConnection;
  if (typeof pc !== "function") return ["RTCPeerConnection is not a function"];
  if (!isNativeFunction(pc, functionToString)) problems.push("RTCPeerConnection is a script's function");
  if (pc.name !== "RTCPeerConnection") problems.push(`the constructor is named "${pc.name}"`);
  const prototype: unknown = pc.prototype;
  if (typeof prototype !== "object" || prototype === null) {
    problems.push("RTCPeerConnection.prototype is missing");
    return problems;
  }
  if ((prototype as { constructor?: unknown }).constructor !== pc)
    problems.push("RTCPeerConnection.prototype.constructor points elsewhere");
  const eventTarget = scope.EventTarget as { prototype?: unknown } | undefined;
  if (Object.getPrototypeOf(prototype) !== eventTarget?.prototype)
    problems.push("RTCPeerConnection.prototype does not inherit from EventTarget.prototype");
  for (const method of ["createDataChannel", "createOffer", "setLocalDescription", "addIceCandidate"]) {
    const fn = Object.getOwnPropertyDescriptor(prototype, method)?.value;
    if (!isNativeFunction(fn, functionToString))
      problems.push(`RTCPeerConnection.prototype.${method} is replaced`);
  }
  return problems;
}

/** The checks that need no connection: is WebRTC here, is it the browser's own, can it make channels. */
export function apiChecks(): SupportCheck[] {
  const present = typeof globalThis.RTCPeerConnection === "function";
  const checks: SupportCheck[] = [
    check(
      "rtc-peer-connection",
      present,
      present ? "window.RTCPeerConnection is a constructor" : "window.RTCPeerConnection is missing",
    ),
  ];
  if (!present) {
    for (const id of ["native-peer-connection", "data-channel", "binary-type"] as const)
      checks.push(notChecked(id, "no RTCPeerConnection"));
    return checks;
  }
  const problems = nativeProblems({
    RTCPeerConnection: globalThis.RTCPeerConnection,
    EventTarget: globalThis.EventTarget,
    functionToString: Function.prototype.toString,
  });
  checks.push(
    check(
      "native-peer-connection",
      problems.length === 0,
      problems.length === 0 ? "native code, prototype chain intact" : problems.join("; "),
    ),
  );
  let pc: RTCPeerConnection | undefined;
  try {
    pc = new RTCPeerConnection();
    const channel = pc.createDataChannel("support-probe");
    const isInstance = typeof RTCDataChannel === "function" && channel instanceof RTCDataChannel;
    checks.push(
      check(
        "data-channel",
        isInstance,
        isInstance
          ? "createDataChannel() returned an RTCDataChannel"
          : "createDataChannel() returned something else",
      ),
    );
    checks.push(
      check(
        "binary-type",
        true,
        `a new channel starts with binaryType "${channel.binaryType}"`,
        channel.binaryType,
      ),
    );
  } catch (error) {
    checks.push(check("data-channel", false, `createDataChannel() threw ${errorText(error)}`));
    checks.push(notChecked("binary-type", "no data channel"));
  } finally {
    pc?.close();
  }
  return checks;
}
