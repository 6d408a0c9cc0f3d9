// The sample's own channel ("sendChannel"): what the Send button sends and the Received log shows.
// Refused input is refused whole with a clear code; nothing is half-sent.
import { BoundedList } from "../core/bounded-list";
import { LabError } from "../core/errors";
import { SEND_QUEUE_LIMIT } from "../core/platform";
import { byteLengthOf } from "../core/rates";
import type { WatchedConnection } from "../watch/watched-connection";
import type { LoopbackSession } from "./loopback-session";

export interface ReceivedMessage {
  t: number;
  /** The text as received; binary messages are summarised, never decoded. */
  text: string;
  bytes: number;
  binary: boolean;
}

export const MESSAGE_LOG_LIMIT = 500;

export class SampleChannel {
  readonly messages = new BoundedList<ReceivedMessage>(MESSAGE_LOG_LIMIT);

  constructor(
    private readonly watched: WatchedConnection,
    private readonly received: (message: ReceivedMessage) => void,
  ) {
    // A new session's log starts empty, like its timeline.
    watched.events.on("reset", () => this.messages.clear());
  }

  /** Sends text on the open session's sample channel, or rejects with a LabError and sends nothing. */
  send(session: LoopbackSession | null, text: string): { bytes: number } {
    if (!session) throw new LabError("not-open", "Connect first: there is no open data channel to send on.");
    if (typeof text !== "string") throw new LabError("not-text", `send() takes text, not ${typeof text}.`);
    if (text.length === 0) throw new LabError("empty-message", "Nothing to send: the message is empty.");
    const limit = session.maxMessageSize;
    // Every UTF-16 unit is at least one UTF-8 byte, so an over-long string needs no counting.
    const bytes = text.length > limit ? text.length : byteLengthOf(text);
    if (bytes > limit) {
      throw new LabError(
        "too-large",
        `The message is ${text.length > limit ? "at least " : ""}${bytes.toLocaleString("en")} bytes; this connection accepts at most ${limit.toLocaleString("en")} bytes per message (maxMessageSize of the SCTP transport). Nothing was sent.`,
      );
    }
    if (session.sendChannel.bufferedAmount + bytes > SEND_QUEUE_LIMIT) {
      throw new LabError(
        "queue-full",
        "The send queue is full; wait for queued messages to go out. Nothing was sent.",
      );
    }
    session.sendChannel.send(text);
    this.watched.sent(bytes);
    return { bytes };
  }

  /** Called for each message the receiving end gets. */
  receive(data: string | ArrayBuffer | Blob): void {
    const bytes = byteLengthOf(data);
    const binary = typeof data !== "string";
    const message: ReceivedMessage = {
      t: this.watched.timeline.elapsed(),
      text: binary ? `[binary message, ${bytes} bytes]` : data,
      bytes,
      binary,
    };
    this.watched.received(bytes);
    this.messages.push(message);
    this.received(message);
  }
}
