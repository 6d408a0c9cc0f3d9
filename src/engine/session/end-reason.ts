// Why a loopback session ended, as data: the Lab tells a person's Disconnect from a channel that
// closed under them by the kind, and the timeline and notices say it in words made here.
import type { FindingCode } from "../../contract/findings";

export type EndReason =
  | { kind: "disconnect" }
  | { kind: "channel-ended"; channel: "sendChannel" | "receiveChannel"; state: "closing" | "closed" }
  | { kind: "connect-failed"; finding?: FindingCode };

export function endReasonWords(reason: EndReason): string {
  switch (reason.kind) {
    case "disconnect":
      return "disconnect";
    case "channel-ended":
      return `${reason.channel} ${reason.state}`;
    case "connect-failed":
      return reason.finding ? `failed: ${reason.finding}` : "connect failed";
  }
}
