// The command line's usage errors: one line in a person's words, with the option meant where a
// near miss names it, and never Node's hint about positionals.
import { parseArgs } from "node:util";
import { describe, expect, it } from "vitest";
import { didYouMean, optionErrorMessage } from "../../../src/cli/option-errors";

const KNOWN = [
  "--browser",
  "--json",
  "--out",
  "--junit",
  "--dump",
  "--quiet",
  "--repeat",
  "--fail-on",
  "--help",
];
const messageFor = (args: string[]) => {
  try {
    parseArgs({
      args,
      options: { json: { type: "boolean" }, out: { type: "string" }, browser: { type: "string" } },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    return optionErrorMessage(error, KNOWN);
  }
  return "parsed";
};

describe("usage errors", () => {
  it("names an unknown option and the one meant", () => {
    expect(messageFor(["--jsn"])).toBe("Unknown option --jsn. Did you mean --json?");
    expect(messageFor(["--josn"])).toBe("Unknown option --josn. Did you mean --json?");
    expect(messageFor(["--browsr", "firefox"])).toBe("Unknown option --browsr. Did you mean --browser?");
    expect(messageFor(["--fail"])).toBe("Unknown option --fail. Did you mean --fail-on?");
  });

  it("suggests nothing for a word that is no near miss, and keeps Node's hints out", () => {
    const message = messageFor(["--colour"]);
    expect(message).toBe("Unknown option --colour.");
    expect(messageFor(["-x"])).toBe("Unknown option -x.");
    expect(message).not.toMatch(/positional|'/);
  });

  it("says when an option lacks its value, or takes none", () => {
    expect(messageFor(["--out"])).toBe("--out needs a value.");
    expect(messageFor(["--json=yes"])).toBe("--json takes no value.");
  });

  it("matches near misses only", () => {
    expect(didYouMean("--juint", KNOWN)).toBe("--junit");
    expect(didYouMean("--dmup", KNOWN)).toBe("--dump");
    expect(didYouMean("--verbose", KNOWN)).toBeNull();
    expect(didYouMean("--o", KNOWN)).toBeNull();
  });
});
