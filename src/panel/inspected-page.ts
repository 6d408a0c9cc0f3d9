// DevTools' inspected page as the engine's InspectedPage port: reload with an injected script, and
// eval, both without any permission. Through `chrome.devtools.inspectedWindow` with callbacks, which
// Chrome and Firefox both offer to DevTools pages. Null outside DevTools (the Firefox tests' tab
// harness opens the panel page in a tab, where it does not exist).
import type { InspectedPage } from "../engine/page/page-recorder-control";

interface ExceptionInfo {
  isException?: boolean;
  isError?: boolean;
  value?: string;
  description?: string;
  /** What fills the description's %s placeholders ("Operation failed: %s", ["Permission denied"]). */
  details?: unknown[];
}

interface InspectedWindow {
  eval(expression: string, callback: (result: unknown, exception?: ExceptionInfo) => void): void;
  reload(options: { injectedScript?: string }): void;
  getResources?(callback: (resources: { url: string; type?: string }[]) => void): void;
}

export function inspectedPage(): InspectedPage | null {
  const devtools = (globalThis as { chrome?: { devtools?: { inspectedWindow?: InspectedWindow } } }).chrome
    ?.devtools;
  const inspected = devtools?.inspectedWindow;
  if (!inspected || typeof inspected.eval !== "function") return null;
  return {
    reload: (injectedScript) => inspected.reload({ injectedScript }),
    evaluate: (expression) =>
      new Promise((resolve, reject) => {
        inspected.eval(expression, (result, exception) => {
          // A call that failed outright (Firefox: "An unexpected error occurred") gives no exception
          // info, only runtime.lastError, and an undefined result that is no answer.
          const failed = lastError();
          if (failed) reject(new Error(failed));
          else if (exception && (exception.isException || exception.isError))
            reject(new Error(exception.value ?? described(exception) ?? "the page threw"));
          else resolve(result);
        });
      }),
    // The inspected page's documents: the top one and one per frame.
    documentUrls: () =>
      new Promise((resolve) => {
        if (typeof inspected.getResources !== "function") return resolve([]);
        inspected.getResources((resources) =>
          resolve(resources.filter((r) => r.type === "document").map((r) => r.url)),
        );
      }),
  };
}

/** The extension API's error for the callback being run, if it failed. */
function lastError(): string | null {
  const error = (globalThis as { chrome?: { runtime?: { lastError?: { message?: string } } } }).chrome
    ?.runtime?.lastError;
  return error ? (error.message ?? "the browser gave no reason") : null;
}

/** Chrome's error description with its placeholders filled from `details`, in order. */
export function described(exception: ExceptionInfo): string | undefined {
  const details = [...(exception.details ?? [])];
  return exception.description?.replace(/%s/g, () => (details.length ? String(details.shift()) : "?"));
}
