// The inspected page's connections, as one part of the Lab: the recording they go into, the control
// that reloads the page with the recorder and drains it, and the job of starting that.
import { type Job, jobOf } from "../core/job";
import { type InspectedPage, PageRecorderControl } from "./page-recorder-control";
import { type BatchValidator, type PageConnection, PageRecording } from "./page-recording";

export interface PageWatchSetup {
  inspectedPage: InspectedPage | null;
  recorderSource: string;
  validatePageBatch: BatchValidator;
}

export class PageWatch {
  readonly recording: PageRecording;
  readonly recorder: PageRecorderControl;
  /** Reloads the inspected page with the recorder; resolves once it has loaded. DevTools only. */
  readonly job: Job<undefined, { origin: string }>;

  constructor(setup: PageWatchSetup) {
    this.recording = new PageRecording(setup.validatePageBatch);
    this.recorder = new PageRecorderControl(this.recording, setup.inspectedPage, setup.recorderSource);
    this.job = jobOf("Recording the page", () => this.recorder.record());
  }

  get connections(): readonly PageConnection[] {
    return this.recording.connections;
  }
}
