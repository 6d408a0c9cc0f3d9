// One section of the report in words: shared by the summary and the parts it is made of.
export interface Section {
  /** What the section is, whatever its title says: columns side by side line up by it. */
  key: SectionKey;
  title: string;
  /** Label and value pairs, or free lines when the label is empty. */
  rows: [label: string, value: string][];
}

type SectionKey =
  | "findings"
  | "measurements"
  | "work"
  | "support"
  | "ice"
  | "page"
  | "not-tracked"
  | "dump"
  | "dump-connections"
  | "dump-notes"
  | "timeline";
