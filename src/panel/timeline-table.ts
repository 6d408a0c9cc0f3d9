// The timeline as a table, one row per entry, with filters by object, by property ("readyState
// only" is a preset) and by text. Rows are selectable, and selecting one selects its segment.
import type { TimelineEntry } from "../engine/watch/timeline";
import { timestamp } from "../format/units";
import { textElement } from "./elements";

export interface TableFilters {
  source: HTMLSelectElement;
  property: HTMLSelectElement;
  readyStateOnly: HTMLInputElement;
  text: HTMLInputElement;
}

export class TimelineTable {
  private rows: HTMLTableRowElement[] = [];
  private selected: number | null = null;

  constructor(
    private readonly body: HTMLTableSectionElement,
    private readonly filters: TableFilters,
    private readonly resolutionMs: number,
    private readonly onSelect: (entry: number) => void,
  ) {
    const refilter = () => this.applyFilters();
    filters.source.addEventListener("change", refilter);
    filters.property.addEventListener("change", () => {
      filters.readyStateOnly.checked = filters.property.value === "readyState";
      refilter();
    });
    filters.readyStateOnly.addEventListener("change", () => {
      filters.property.value = filters.readyStateOnly.checked ? "readyState" : "";
      refilter();
    });
    filters.text.addEventListener("input", refilter);
    body.addEventListener("click", (event) => {
      const row = (event.target as Element).closest<HTMLTableRowElement>("tr[data-entry]");
      if (row) this.onSelect(Number(row.dataset.entry));
    });
    body.addEventListener("keydown", (event) => {
      const row = (event.target as Element).closest<HTMLTableRowElement>("tr[data-entry]");
      if (!row) return;
      const visible = this.rows.filter((r) => !r.hidden);
      const at = visible.indexOf(row);
      let next: HTMLTableRowElement | undefined;
      if (event.key === "ArrowDown") next = visible[at + 1];
      else if (event.key === "ArrowUp") next = visible[at - 1];
      else if (event.key === "Enter" || event.key === " ") next = row;
      if (!next) return;
      event.preventDefault();
      this.onSelect(Number(next.dataset.entry));
      next.focus();
    });
  }

  reset(): void {
    this.rows = [];
    this.selected = null;
    this.body.replaceChildren();
    this.refreshChoices([]);
  }

  /** Appends rows for entries index `from` on; `entries` is everything shown so far. */
  append(entries: readonly TimelineEntry[], from: number): void {
    const added = entries.slice(from).map((entry, i) => this.row(entry, from + i));
    this.rows.push(...added);
    this.body.append(...added);
    this.refreshChoices(entries);
    for (const row of added) row.hidden = !this.matches(row);
    if (this.rows.length > 0 && !this.rows.some((r) => r.tabIndex === 0))
      (this.rows[0] as HTMLElement).tabIndex = 0;
  }

  select(entry: number | null): void {
    const previous = this.selected === null ? undefined : this.rows[this.selected];
    previous?.setAttribute("aria-selected", "false");
    if (previous) previous.tabIndex = -1;
    this.selected = entry;
    const row = entry === null ? undefined : this.rows[entry];
    if (!row) return;
    if (row.hidden) this.clearFilters();
    row.setAttribute("aria-selected", "true");
    for (const r of this.rows) if (r !== row) r.tabIndex = -1;
    row.tabIndex = 0;
    row.scrollIntoView({ block: "nearest" });
  }

  clearFilters(): void {
    this.filters.source.value = "";
    this.filters.property.value = "";
    this.filters.readyStateOnly.checked = false;
    this.filters.text.value = "";
    this.applyFilters();
  }

  private row(entry: TimelineEntry, index: number): HTMLTableRowElement {
    const tr = document.createElement("tr");
    tr.dataset.entry = String(index);
    tr.dataset.source = entry.source;
    tr.dataset.property = entry.property;
    tr.setAttribute("aria-selected", "false");
    tr.tabIndex = -1;
    const value = textElement("td", entry.value);
    if (entry.synthetic) {
      value.classList.add("synthetic");
      value.title = "Read by the engine after close(): browsers fire no event for it.";
    }
    const detail = Object.entries(entry.detail ?? {})
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(" ");
    tr.append(
      textElement("td", timestamp(entry.t, this.resolutionMs)),
      textElement("td", entry.source),
      textElement("td", entry.property),
      value,
      textElement("td", `${detail}${entry.synthetic ? " (after close())" : ""}`),
    );
    tr.dataset.text = tr.textContent?.toLowerCase() ?? "";
    return tr;
  }

  private matches(row: HTMLTableRowElement): boolean {
    const { source, property, text } = this.filters;
    if (source.value && row.dataset.source !== source.value) return false;
    if (property.value && row.dataset.property !== property.value) return false;
    const wanted = text.value.trim().toLowerCase();
    return !wanted || (row.dataset.text ?? "").includes(wanted);
  }

  private applyFilters(): void {
    for (const row of this.rows) row.hidden = !this.matches(row);
  }

  /** The object and property choices: whatever the timeline holds, so a filter never offers nothing. */
  private refreshChoices(entries: readonly TimelineEntry[]): void {
    fill(this.filters.source, "All objects", [...new Set(entries.map((e) => e.source))]);
    fill(this.filters.property, "All properties", [
      ...new Set(["readyState", ...entries.map((e) => e.property)]),
    ]);
  }
}

function fill(select: HTMLSelectElement, allLabel: string, values: string[]): void {
  const current = select.value;
  const have = [...select.options].map((o) => o.value);
  const want = ["", ...values];
  if (have.length === want.length && have.every((v, i) => v === want[i])) return;
  select.replaceChildren(
    Object.assign(document.createElement("option"), { value: "", textContent: allLabel }),
    ...values.map((v) => Object.assign(document.createElement("option"), { value: v, textContent: v })),
  );
  select.value = want.includes(current) ? current : "";
}
