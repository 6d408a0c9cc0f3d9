// window.loopbackLab: the automation API. It is the same Lab the buttons drive, nothing else.
import type { ConnectOptions, Lab } from "../engine/lab";
import { buildReport, type Report } from "../report/report";

export interface LoopbackLabApi {
  connect(options?: ConnectOptions): Promise<unknown>;
  disconnect(): Promise<void>;
  send(text: string): Promise<{ bytes: number }>;
  report(): Report;
}

declare global {
  interface Window {
    loopbackLab: LoopbackLabApi;
  }
}

export function exposeAutomationApi(lab: Lab): LoopbackLabApi {
  const api: LoopbackLabApi = {
    connect: (options) => lab.connect(options),
    disconnect: () => lab.disconnect(),
    send: (text) => lab.send(text),
    report: () => buildReport(lab),
  };
  Object.defineProperty(window, "loopbackLab", { value: Object.freeze(api), enumerable: true });
  return api;
}
