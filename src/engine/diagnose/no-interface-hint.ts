// The hint for no-interface-up from what the run knows beyond the browser: how it was started
// (--allow-loopback) and what the command line saw of this machine's network, which no extension
// page can see. With that evidence a machine without a network, one without a default route, and a
// browser limited by a setting or policy are told apart; without it the catalogue's hint names all.

/** What the command line saw of this machine's network. */
export interface HostNetwork {
  /** Interfaces with an address besides loopback, by name. */
  interfaces: string[];
  /** Whether the machine has a default route (IPv4 or IPv6); null where it could not tell. */
  defaultRoute: boolean | null;
}

const LOOPBACK_ALLOWED_NOTHING =
  "The browser was started with loopback candidates allowed (--allow-loopback) and still gathered none: either loopback is down too, or the browser gathers nothing without another interface and a default route (Firefox does not use loopback then, its pref or not). Bring up an interface with a default route; on a test machine a veth pair will do.";

/** The hint that evidence supports, or undefined to keep the catalogue's. */
export function noInterfaceHint(host: HostNetwork | undefined, loopbackAllowed: boolean): string | undefined {
  const lead = loopbackAllowed ? `${LOOPBACK_ALLOWED_NOTHING} ` : "";
  if (!host) return loopbackAllowed ? LOOPBACK_ALLOWED_NOTHING : undefined;
  const named = host.interfaces.join(", ");
  if (host.interfaces.length === 0)
    return `${lead}This machine has no interface with an address besides loopback (diagnose looked)${loopbackAllowed ? "" : ", and browsers do not use loopback for WebRTC"}: bring one up (Ethernet, Wi-Fi or a VPN with an address).`;
  if (host.defaultRoute === false)
    return `${lead}This machine has an address on ${named} but no default route (diagnose looked): Firefox gathers nothing without one, and browsers give web pages only the default route's interface. Add a default route.`;
  if (host.defaultRoute === true)
    return `${lead}This machine has an address on ${named} and a default route (diagnose looked), yet the browser gathered nothing: a browser setting or policy limits WebRTC, such as Firefox's media.peerconnection.ice.proxy_only (about:config) or an enterprise policy (about:policies, chrome://policy).`;
  return loopbackAllowed ? LOOPBACK_ALLOWED_NOTHING : undefined;
}
