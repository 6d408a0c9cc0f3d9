// One section of the report in words: shared by the summary and the parts it is made of.
export interface Section {
  title: string;
  /** Label and value pairs, or free lines when the label is empty. */
  rows: [label: string, value: string][];
}
