// Renders the current findings: level, stable code, plain-words message and what to try next.
import type { Finding } from "../contract/findings";
import { textElement } from "./elements";

export function renderFindings(list: HTMLElement, findings: readonly Finding[]): void {
  list.replaceChildren(
    ...findings.map((finding) => {
      const item = document.createElement("li");
      item.dataset.level = finding.level;
      item.dataset.code = finding.code;
      item.append(
        textElement("strong", `${finding.level.toUpperCase()} `),
        textElement("span", finding.message),
      );
      item.append(" ", textElement("span", `(${finding.code})`, "code"));
      if (finding.hint) item.append(textElement("span", finding.hint, "hint"));
      return item;
    }),
  );
}
