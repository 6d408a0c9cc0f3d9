// --ice-servers FILE, or LOOPBACK_LAB_ICE_SERVERS holding the JSON itself (so credentials stay out of
// shell history): read and checked before any browser starts. Messages name where the servers came
// from and never quote a credential.
import { readFileSync } from "node:fs";
import { iceTargets, parseIceServers } from "../engine/ice/ice-servers";

/** From --ice-servers FILE, else the environment variable; each mistake names where it came from. */
export function readIceServers(
  file: string | undefined,
  fromEnvironment: string | undefined,
): RTCIceServer[] | null {
  const where = file === undefined ? "LOOPBACK_LAB_ICE_SERVERS" : `--ice-servers ${file}`;
  let text = fromEnvironment;
  if (file !== undefined) {
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      throw new Error(`${where}: cannot be read (${(error as Error).message}).`);
    }
  }
  if (text === undefined || (file === undefined && text.trim() === "")) return null;
  try {
    const servers = parseIceServers(text);
    iceTargets(servers);
    return servers;
  } catch (error) {
    throw new Error(`${where}: ${(error as Error).message}`);
  }
}
