// What the command-line tools need of the document showing the Loopback panel: a Puppeteer Frame in
// Chrome's DevTools, or the panel in Firefox's toolbox (firefox-toolbox.ts), which evaluates alike.
import type { Frame } from "puppeteer-core";
import type { LabFrame } from "../contract/lab-client";

export type PanelFrame = Pick<Frame, "evaluate"> & LabFrame;
