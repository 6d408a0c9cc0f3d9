// The person's loopback session, the sample itself: Connect, Disconnect, Send and the Received log,
// on the watched connection the views show. Its events say what a person sees change.
import { Emitter } from "../core/emitter";
import type { LabErrorCode } from "../core/errors";
import { WatchedConnection } from "../watch/watched-connection";
import { type ConnectOptions, Connector, type Phase } from "./connector";
import { endReasonWords } from "./end-reason";
import type { LoopbackSession, OpenResult } from "./loopback-session";
import { type ReceivedMessage, SampleChannel } from "./sample-channel";

interface Notice {
  level: "info" | "error";
  /** A LabError code where there is one. */
  code?: LabErrorCode;
  text: string;
}

export interface LoopbackEvents {
  phase: Phase;
  message: ReceivedMessage;
  "messages-cleared": undefined;
  /** Something a person should read that is no error of theirs (the session ended by itself). */
  notice: Notice;
}

export class Loopback {
  readonly events = new Emitter<LoopbackEvents>();
  /** The panel's own loopback: its timeline, counters and findings. */
  readonly watched = new WatchedConnection("loopback", "Loopback");
  private readonly sample = new SampleChannel(this.watched, (message) =>
    this.events.emit("message", message),
  );
  /** Connecting and the open session; the runs measure on it. */
  readonly connector = new Connector(this.watched, {
    phase: (phase) => this.events.emit("phase", phase),
    message: (data) => this.sample.receive(data),
    ended: (reason, wasOpen) => {
      if (wasOpen && reason.kind !== "disconnect")
        this.events.emit("notice", { level: "info", text: `The session ended: ${endReasonWords(reason)}.` });
    },
  });

  get phase(): Phase {
    return this.connector.phase;
  }

  get openSession(): LoopbackSession | null {
    return this.connector.openSession;
  }

  /** The last session that opened: its time to open and SCTP limits. */
  get connection(): OpenResult | null {
    return this.connector.connection;
  }

  get messages() {
    return this.sample.messages;
  }

  connect(options?: ConnectOptions): Promise<OpenResult> {
    return this.connector.connect(options);
  }

  async disconnect(): Promise<void> {
    this.connector.disconnect();
  }

  /** Sends text on the sample channel; refused input rejects with a LabError and nothing is sent. */
  async send(text: string): Promise<{ bytes: number }> {
    return this.sample.send(this.connector.openSession, text);
  }

  /** Empties the received-message log (the counters keep counting: they describe the session). */
  clearMessages(): void {
    this.sample.messages.clear();
    this.events.emit("messages-cleared", undefined);
  }
}
