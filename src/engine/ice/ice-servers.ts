// The person's STUN and TURN servers as input: checked before any browser sees them, with a message
// that says what to fix, and expanded into one target per server URL and transport (a `turn:` URL
// without `?transport=` is tried over UDP and TCP, as browsers do). Credentials stay in the targets'
// `server` objects, which nothing outside the check reads; results carry the URL and transport only.
import { LabError } from "../core/errors";
import { shownUrl, withoutUserInfo } from "./shown-url";

export type IceTransport = "udp" | "tcp" | "tls";
export type IceScheme = "stun" | "turn" | "turns";

export interface IceTarget {
  /** The URL as given, without any user:password@ part. */
  url: string;
  scheme: IceScheme;
  transport: IceTransport;
  /** What the browser gets: this one URL for this one transport, with the credentials. */
  server: RTCIceServer;
}

/** More than this is not a check a person waits for (each target can take several seconds). */
export const MAX_ICE_TARGETS = 12;

const URL_PATTERN =
  /^(stuns?|turns?):(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?(?:\?transport=(udp|tcp))?$/i;

/** Takes `RTCIceServer[]` (or one server) from JSON or an object, and returns it checked. */
export function parseIceServers(input: unknown): RTCIceServer[] {
  const value = typeof input === "string" ? parseJson(input) : input;
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0)
    throw invalid("No ICE servers were given: add at least one stun:, turn: or turns: URL.");
  return list.map((entry, index) => checkServer(entry, index));
}

/** Expands checked servers into one target per URL and transport. */
export function iceTargets(servers: readonly RTCIceServer[]): IceTarget[] {
  const targets = servers.flatMap((server) =>
    urlsOf(server).flatMap((url) => {
      const parsed = parseUrl(url);
      const credentials =
        parsed.scheme === "stun" ? {} : { username: server.username, credential: server.credential };
      return transportsOf(parsed).map((transport) => ({
        url: shownUrl(url),
        scheme: parsed.scheme,
        transport,
        server: { urls: browserUrl(parsed, transport), ...credentials },
      }));
    }),
  );
  if (targets.length > MAX_ICE_TARGETS)
    throw invalid(
      `That is ${targets.length} checks (one per URL and transport); the most is ${MAX_ICE_TARGETS}. Check fewer servers at once.`,
    );
  return targets;
}

/** A URL without its user info, for parsing (messages show shownUrl(url) instead). */
function parsable(url: string): string {
  const colon = url.indexOf(":");
  return colon < 0 ? url : `${url.slice(0, colon + 1)}${withoutUserInfo(url.slice(colon + 1))}`;
}

interface ParsedUrl {
  scheme: IceScheme;
  host: string;
  port: string | undefined;
  transport: "udp" | "tcp" | undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // The parser's own message can quote the text, credential and all: give only where it broke.
    const at = /position (\d+)/.exec((error as Error).message)?.[1];
    throw invalid(`The ICE servers are not valid JSON${at ? ` (at character ${at})` : ""}.`);
  }
}

function checkServer(entry: unknown, index: number): RTCIceServer {
  const where = `ICE server ${index + 1}`;
  if (typeof entry !== "object" || entry === null || Array.isArray(entry))
    throw invalid(`${where} is not an object like {"urls": "stun:stun.example.org"}.`);
  const { urls, username, credential } = entry as Record<string, unknown>;
  const list = typeof urls === "string" ? [urls] : urls;
  if (!Array.isArray(list) || list.length === 0 || !list.every((u) => typeof u === "string"))
    throw invalid(`${where} needs "urls": a URL or a list of URLs.`);
  if (username !== undefined && typeof username !== "string")
    throw invalid(`${where}: "username" must be text.`);
  if (credential !== undefined && typeof credential !== "string")
    throw invalid(`${where}: "credential" must be text.`);
  for (const url of list as string[]) {
    const parsed = parseUrl(url, where);
    if (parsed.scheme !== "stun" && (!username || !credential))
      throw invalid(`${where}: ${shownUrl(url)} needs a username and a credential.`);
  }
  return {
    urls: list as string[],
    ...(username ? { username } : {}),
    ...(credential ? { credential } : {}),
  };
}

function urlsOf(server: RTCIceServer): string[] {
  return typeof server.urls === "string" ? [server.urls] : [...server.urls];
}

/** `where` names the server by its position: a message never quotes what the person typed. */
function parseUrl(raw: string, where = "An ICE server"): ParsedUrl {
  const url = parsable(raw.trim());
  const shown = shownUrl(raw);
  // Both browsers refuse it (Chrome: "long deprecated user@host syntax"; Firefox: "must not contain @").
  if (url !== raw.trim())
    throw invalid(
      `${where}: ${shown} has a user name or password before the host (user@host), which browsers refuse: give them as username and credential.`,
    );
  const match = URL_PATTERN.exec(url);
  if (!match)
    throw invalid(
      `${where}: ${shown} is not a STUN or TURN URL: write stun:host[:port], turn:host[:port][?transport=udp|tcp] or turns:host[:port].`,
    );
  const scheme = (match[1] as string).toLowerCase();
  const transport = match[4]?.toLowerCase() as "udp" | "tcp" | undefined;
  if (scheme === "stuns")
    throw invalid(`${where}: ${shown}: browsers do not support stuns:; use stun: or turns:.`);
  if (scheme === "stun" && transport)
    throw invalid(`${where}: ${shown}: a stun: URL takes no ?transport= (browsers ask STUN over UDP only).`);
  if (scheme === "turns" && transport === "udp")
    throw invalid(`${where}: ${shown}: turns: runs over TLS on TCP; browsers do not support it over UDP.`);
  const port = match[3];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535))
    throw invalid(`${where}: ${shown}: the port must be between 1 and 65535.`);
  return { scheme: scheme as IceScheme, host: match[2] as string, port, transport };
}

function transportsOf(parsed: ParsedUrl): IceTransport[] {
  if (parsed.scheme === "stun") return ["udp"];
  if (parsed.scheme === "turns") return ["tls"];
  return parsed.transport ? [parsed.transport] : ["udp", "tcp"];
}

function browserUrl(parsed: ParsedUrl, transport: IceTransport): string {
  const base = `${parsed.scheme}:${parsed.host}${parsed.port ? `:${parsed.port}` : ""}`;
  if (parsed.scheme === "stun") return base;
  return `${base}?transport=${transport === "udp" ? "udp" : "tcp"}`;
}

function invalid(message: string): LabError {
  return new LabError("invalid-option", message);
}
