// The sample's controls (Connect, Disconnect, Message, Send), the received log and the live counters.
import { LabError } from "../engine/core/errors";
import { type Counters, type Lab, MESSAGE_LOG_LIMIT, type Phase, type ReceivedMessage } from "../engine/lab";
import { controlsFor } from "./controls";
import { byId, textElement } from "./elements";
import { renderFindings } from "./findings-view";
import { formatBytes, formatCount, formatRate } from "./format";

const PHASE_TEXT: Record<Phase, string> = {
  idle: "Not connected",
  connecting: "Connecting…",
  open: "Channel open",
};

export function mountSessionView(lab: Lab): void {
  const connect = byId("connect", HTMLButtonElement);
  const disconnect = byId("disconnect", HTMLButtonElement);
  const timeout = byId("timeout", HTMLInputElement);
  const form = byId("send-form", HTMLFormElement);
  const message = byId("message", HTMLInputElement);
  const send = byId("send", HTMLButtonElement);
  const notice = byId("notice", HTMLParagraphElement);
  const phaseText = byId("phase", HTMLParagraphElement);
  const received = byId("received", HTMLOListElement);
  const receivedDropped = byId("received-dropped", HTMLParagraphElement);
  const counters = byId("counters", HTMLElement);
  const findings = byId("findings", HTMLUListElement);

  const showNotice = (text: string, level: "info" | "error" = "error") => {
    notice.textContent = text;
    notice.className = `notice ${level}`;
  };

  const applyPhase = (phase: Phase) => {
    phaseText.textContent = PHASE_TEXT[phase];
    const enabled = controlsFor(phase);
    connect.disabled = !enabled.connect;
    disconnect.disabled = !enabled.disconnect;
    timeout.disabled = !enabled.timeout;
    message.disabled = !enabled.message;
    send.disabled = !enabled.send;
    if (phase === "open") message.focus();
    if (phase === "idle") message.value = "";
  };

  connect.addEventListener("click", () => {
    const seconds = Number(timeout.value);
    if (!Number.isFinite(seconds) || seconds <= 0) {
      showNotice("The timeout must be a positive number of seconds.");
      return;
    }
    showNotice("", "info");
    lab.connect({ timeoutMs: seconds * 1000 }).catch((error: unknown) => {
      // A diagnosed failure is shown as a finding; a cancelled connect needs no scolding.
      if (error instanceof LabError && error.code === "cancelled") showNotice(error.message, "info");
      else if (!(error instanceof LabError && error.finding)) showNotice(String(error));
    });
  });
  disconnect.addEventListener("click", () => void lab.disconnect());
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = message.value;
    lab.send(text).then(
      () => {
        // Clear only what was sent: the person may have typed on meanwhile.
        if (message.value === text) message.value = "";
        showNotice("", "info");
      },
      (error: unknown) => showNotice(error instanceof Error ? error.message : String(error)),
    );
  });

  // Messages can arrive thousands a second: render them once per frame, keeping the newest only.
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
    const dropped = lab.messages.dropped;
    receivedDropped.hidden = dropped === 0;
    receivedDropped.textContent = `${formatCount(dropped)} older messages dropped; the newest ${MESSAGE_LOG_LIMIT} are kept.`;
    received.scrollTop = received.scrollHeight;
  };

  lab.events.on((event) => {
    switch (event.type) {
      case "phase":
        applyPhase(event.phase);
        break;
      case "timeline-reset":
        pendingMessages = [];
        received.replaceChildren();
        receivedDropped.hidden = true;
        renderCounters(counters, lab.currentCounters());
        break;
      case "message":
        pendingMessages.push(event.message);
        if (pendingMessages.length === 1) requestAnimationFrame(flushMessages);
        break;
      case "counters":
        renderCounters(counters, event.counters);
        break;
      case "findings":
        renderFindings(findings, event.findings);
        break;
      case "notice":
        showNotice(event.notice.text, event.notice.level);
        break;
    }
  });
  applyPhase(lab.phase);
  renderCounters(counters, lab.currentCounters());
}

function renderCounters(list: HTMLElement, c: Counters): void {
  const rows: [string, string][] = [
    ["Sent", `${formatCount(c.sentMessages)} msg`],
    ["Sent bytes", formatBytes(c.sentBytes)],
    ["Received", `${formatCount(c.receivedMessages)} msg`],
    ["Received bytes", formatBytes(c.receivedBytes)],
    [
      "Send rate",
      `${c.sendRate.messagesPerSecond.toFixed(1)} msg/s · ${formatRate(c.sendRate.bytesPerSecond)}`,
    ],
    [
      "Receive rate",
      `${c.receiveRate.messagesPerSecond.toFixed(1)} msg/s · ${formatRate(c.receiveRate.bytesPerSecond)}`,
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
