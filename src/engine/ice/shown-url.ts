// An ICE server URL as a message, a log or a report may show it: the scheme, host, port and
// transport, never a user name, a password or any other query parameter. A URL that does not read
// cleanly as scheme:host[:port][?transport=…] is not shown at all: a password can hold "?" or "@",
// and a guess at where it ends could print part of it.

const HOST_PORT_QUERY = /^([a-z0-9.-]+|\[[0-9a-f:.]+\])(?::(\d{1,5}))?(?:\?(.*))?$/i;

export function shownUrl(raw: string): string {
  const text = String(raw).trim();
  const colon = text.indexOf(":");
  if (colon <= 0) return "(a URL that does not parse; not shown)";
  const scheme = text.slice(0, colon).toLowerCase();
  if (!/^[a-z]{1,10}$/.test(scheme)) return "(a URL that does not parse; not shown)";
  const rest = withoutUserInfo(text.slice(colon + 1));
  const match = HOST_PORT_QUERY.exec(rest);
  if (!match) return `${scheme}: (the rest does not parse; not shown)`;
  const [, host, port, query = ""] = match;
  const transport = /(?:^|&)transport=(udp|tcp)(?:&|$)/i.exec(query)?.[1]?.toLowerCase();
  return `${scheme}:${host}${port ? `:${port}` : ""}${transport ? `?transport=${transport}` : ""}`;
}

/** Drops user info: everything up to the last "@" before the query. */
export function withoutUserInfo(rest: string): string {
  const query = rest.indexOf("?");
  const before = query >= 0 ? rest.slice(0, query) : rest;
  const at = before.lastIndexOf("@");
  return at >= 0 ? rest.slice(at + 1) : rest;
}
