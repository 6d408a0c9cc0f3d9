// Text from a report, a page or a server, made safe to print on a terminal or into a CI log: no
// control characters (an escape sequence could rewrite the screen or the log), and no line so long
// that it buries the rest.

/** The longest line printed whole; longer ones are cut, saying how much was left out. */
const MAX_LINE = 1000;

/** C0 controls but tab and newline, DEL, and the C1 controls (ESC and CSI among them). */
function isControl(code: number): boolean {
  return (code < 0x20 && code !== 0x09 && code !== 0x0a) || (code >= 0x7f && code <= 0x9f);
}

export function terminalText(text: string): string {
  return text
    .split("\n")
    .map((line) => {
      const cut =
        line.length > MAX_LINE
          ? `${line.slice(0, MAX_LINE)}… (${line.length - MAX_LINE} characters more)`
          : line;
      let safe = "";
      for (const ch of cut) if (!isControl(ch.charCodeAt(0))) safe += ch;
      return safe;
    })
    .join("\n");
}
