// --ice-servers FILE and LOOPBACK_LAB_ICE_SERVERS: the file wins, an empty variable is no servers,
// and every mistake names where the servers came from (never what the credential was).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readIceServers } from "../../../src/cli/ice-servers-option";

const servers = [{ urls: "turn:t.example:3478", username: "u", credential: "hunter2" }];

describe("readIceServers", () => {
  it("reads the file, else the environment variable, else nothing", () => {
    const file = join(mkdtempSync(join(tmpdir(), "ice-opt-")), "servers.json");
    writeFileSync(file, JSON.stringify(servers));
    expect(readIceServers(file, '[{"urls":"stun:other.example"}]')).toEqual([
      { ...servers[0], urls: ["turn:t.example:3478"] },
    ]);
    expect(readIceServers(undefined, '{"urls":"stun:s.example"}')).toEqual([{ urls: ["stun:s.example"] }]);
    expect(readIceServers(undefined, "  ")).toBeNull();
    expect(readIceServers(undefined, undefined)).toBeNull();
  });

  it("says where a mistake came from", () => {
    expect(() => readIceServers("/nonexistent/servers.json", undefined)).toThrow(
      /^--ice-servers \/nonexistent\/servers\.json: cannot be read/,
    );
    expect(() => readIceServers(undefined, "[{]")).toThrow(
      /^LOOPBACK_LAB_ICE_SERVERS: The ICE servers are not valid JSON/,
    );
    expect(() =>
      readIceServers(undefined, '[{"urls":"turn:x","username":"u","credential":"hunter2"}],'),
    ).toThrow(/^LOOPBACK_LAB_ICE_SERVERS: The ICE servers are not valid JSON \(at character \d+\)\.$/);
    try {
      readIceServers(
        undefined,
        JSON.stringify([{ urls: "turn:x?transport=sctp", username: "u", credential: "hunter2" }]),
      );
    } catch (error) {
      expect(String(error)).toMatch(/is not a STUN or TURN URL/);
      expect(String(error)).not.toContain("hunter2");
    }
  });
});
