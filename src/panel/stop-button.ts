// Stop, in the toolbar: enabled while any job runs (a throughput or latency run, the diagnosis, the
// ICE-server check), and it ends that one.
import type { Lab } from "../engine/lab";
import { byId } from "./elements";

export function mountStopButton(lab: Lab): void {
  const stop = byId("tp-stop", HTMLButtonElement);
  const apply = () => {
    stop.disabled = !lab.stoppable.some((job) => job.busy);
  };
  for (const job of lab.stoppable) job.onBusy(apply);
  stop.addEventListener("click", () => lab.stop());
  apply();
}
