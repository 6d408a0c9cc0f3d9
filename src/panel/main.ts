// The panel page: one Lab, its views, and the automation API, all wired to the same engine.

import validatePageBatch from "virtual:page-batch-validator";
import probeSource from "virtual:page-probe";
import recorderSource from "virtual:page-recorder";
import { timerResolutionMs } from "../engine/core/platform";
import { Lab } from "../engine/lab";
import { exposeAutomationApi } from "./automation";
import { readDumpInWorker } from "./dump-reader";
import { mountDumpView } from "./dump-view";
import { byId } from "./elements";
import { mountIceCheckView } from "./ice-check-view";
import { inspectedPage } from "./inspected-page";
import { readIpHandling } from "./ip-handling-setting";
import { mountPageView } from "./page-view";
import { mountPrivacyPermissionView } from "./privacy-permission-view";
import { mountReportView } from "./report-view";
import { mountSessionView } from "./session-view";
import { mountStopButton } from "./stop-button";
import { mountTabs } from "./tabs";
import { followDevToolsTheme } from "./theme";
import { mountThroughputView } from "./throughput-view";
import { mountTimelineView } from "./timeline-view";

const lab = new Lab({
  inspectedPage: inspectedPage(),
  recorderSource,
  validatePageBatch,
  probeSource,
  readIpHandling,
  readDump: readDumpInWorker,
});
void followDevToolsTheme();
mountSessionView(lab.session);
const timeline = mountTimelineView([lab.session.watched, lab.diagnosis.connection], timerResolutionMs());
mountIceCheckView(lab, timeline);
mountPageView(lab.page, timeline);
const tabs = mountTabs(byId("tab-messages", HTMLButtonElement).parentElement as HTMLElement);
mountDumpView(lab.dump, timeline, () => tabs.select("tab-dump"));
mountThroughputView(lab);
mountStopButton(lab);
mountReportView(lab);
mountPrivacyPermissionView();
exposeAutomationApi(lab);
// Closing DevTools must not leave peer connections behind, nor the recorder in the inspected page.
addEventListener("pagehide", () => {
  lab.stop();
  lab.page.recorder.release();
  void lab.session.disconnect();
});
