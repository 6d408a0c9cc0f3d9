// The sample's controls (Connect, Disconnect, Message, Send), the received log and the live counters.
import { errorMessage, LabError } from "../engine/core/errors";
import type { Phase } from "../engine/session/connector";
import type { Loopback } from "../engine/session/loopback";
import { MESSAGE_LOG_LIMIT, type ReceivedMessage } from "../engine/session/sample-channel";
import type { Counters } from "../engine/watch/traffic-counters";
import { bytes, count, rate } from "../format/units";
import { controlsFor } from "./controls";
import { byId, textElement } from "./elements";
import { renderFindings } from "./findings-view";

const PHASE_TEXT: Record<Phase, string> = {
  idle: "Not connected",
  connecting: "Connecting…",
  open: "Channel open",
};

export function mountSessionView(session: Loopback): void {
  const notice = byId("notice", HTMLParagraphElement);
  const showNotice = (text: string, level: "info" | "error" = "error") => {
    notice.textContent = text;
    notice.className = `notice ${level}`;
  };
  mountControls(session, showNotice);
  mountReceivedLog(session);
  const counters = byId("counters", HTMLElement);
  const findings = byId("findings", HTMLUListElement);
  session.events.on("notice", ({ text, level }) => showNotice(text, level));
  session.watched.events.on("counters", (c) => renderCounters(counters, c));
  session.watched.events.on("findings", (list) => renderFindings(findings, list));
  renderCounters(counters, session.watched.counters());
}

/** Connect, Disconnect, the timeout, the message box and Send, enabled as the phase allows. */
function mountControls(
  session: Loopback,
  showNotice: (text: string, level?: "info" | "error") => void,
): void {
  const connect = byId("connect", HTMLButtonElement);
  const disconnect = byId("disconnect", HTMLButtonElement);
  const timeout = byId("timeout", HTMLInputElement);
  const form = byId("send-form", HTMLFormElement);
  const message = byId("message", HTMLInputElement);
  const send = byId("send", HTMLButtonElement);
  const phaseText = byId("phase", HTMLSpanElement);

  const applyPhase = (phase: Phase) => {
    phaseText.textContent = PHASE_TEXT[phase];
    const enabled = controlsFor(phase);
    connect.disabled = !enabled.connect;
    disconnect.disabled = !enabled.disconnect;
    timeout.disabled = !enabled.timeout;
    message.disabled = !enabled.message;
    send.disabled = !enabled.send;
    // Ready to type, when the person is looking at the message box (not from another tab).
    if (phase === "open" && !message.closest("[hidden]")) message.focus();
    if (phase === "idle") message.value = "";
  };

  connect.addEventListener("click", () => {
    const seconds = Number(timeout.value);
    if (!Number.isFinite(seconds) || seconds <= 0) {
      showNotice("The timeout must be a positive number of seconds.");
      return;
    }
    showNotice("", "info");
    session.connect({ timeoutMs: seconds * 1000 }).catch((error: unknown) => {
      // A diagnosed failure is shown as a finding; a cancelled connect needs no scolding.
      if (error instanceof LabError && error.code === "cancelled") showNotice(error.message, "info");
      else if (!(error instanceof LabError && error.finding)) showNotice(String(error));
    });
  });
  disconnect.addEventListener("click", () => void session.disconnect());
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = message.value;
    session.send(text).then(
      () => {
        // Clear only what was sent: the person may have typed on meanwhile.
        if (message.value === text) message.value = "";
        showNotice("", "info");
      },
      (error: unknown) => showNotice(errorMessage(error)),
    );
  });
  session.events.on("phase", applyPhase);
  applyPhase(session.phase);
}

/** The Received log: messages can arrive thousands a second, so it renders once per frame, newest only. */
function mountReceivedLog(session: Loopback): void {
  const received = byId("received", HTMLOListElement);
  const receivedDropped = byId("received-dropped", HTMLParagraphElement);
  let pendingMessages: ReceivedMessage[] = [];
  const flushMessages = () => {
    const batch = pendingMessages.slice(-MESSAGE_LOG_LIMIT);
    pendingMessages = [];
    received.append(
      ...batch.map((message) => {
        const item = textElement("li", message.text);
        if (message.binary) item.classList.add("binary");
        return item;
      }),
    );
    for (let excess = received.childElementCount - MESSAGE_LOG_LIMIT; excess > 0; excess--)
      received.firstElementChild?.remove();
    const dropped = session.messages.dropped;
    receivedDropped.hidden = dropped === 0;
    receivedDropped.textContent = `${count(dropped)} older messages dropped; the newest ${MESSAGE_LOG_LIMIT} are kept.`;
    received.scrollTop = received.scrollHeight;
  };
  const clear = () => {
    pendingMessages = [];
    received.replaceChildren();
    receivedDropped.hidden = true;
  };
  session.events.on("message", (message) => {
    pendingMessages.push(message);
    if (pendingMessages.length === 1) requestAnimationFrame(flushMessages);
  });
  session.watched.events.on("reset", clear);
  session.events.on("messages-cleared", clear);
  byId("clear", HTMLButtonElement).addEventListener("click", () => session.clearMessages());
}

function renderCounters(list: HTMLElement, c: Counters): void {
  const rows: [string, string][] = [
    ["Sent", `${count(c.sentMessages)} msg`],
    ["Sent bytes", bytes(c.sentBytes)],
    ["Received", `${count(c.receivedMessages)} msg`],
    ["Received bytes", bytes(c.receivedBytes)],
    ["Send rate", `${c.sendRate.messagesPerSecond.toFixed(1)} msg/s · ${rate(c.sendRate.bytesPerSecond)}`],
    [
      "Receive rate",
      `${c.receiveRate.messagesPerSecond.toFixed(1)} msg/s · ${rate(c.receiveRate.bytesPerSecond)}`,
    ],
  ];
  list.replaceChildren(
    ...rows.map(([name, value]) => {
      const row = document.createElement("div");
      row.append(textElement("dt", name), textElement("dd", value));
      return row;
    }),
  );
}
