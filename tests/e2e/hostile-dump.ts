// Test fixture: a dump someone hostile could send, gzip as Chrome saves it: markup in every string
// the panel shows (connection names, page URL, labels, errors, states), a 5 MB string, deep nesting
// and wrong types where nothing is read, and a password in the page's URL, the configuration and an
// error's server URL. Opened, it must show as text, keep the panel whole, and hold no password.
import { gzipSync } from "node:zlib";

export const HOSTILE_SECRET = "hostile-Dump-Secret-0c9e";
const MARKUP = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>';

export function hostileDump(): Buffer {
  const t = Date.UTC(2026, 11, 6);
  const candidate = JSON.stringify({ candidate: `candidate:1 1 udp 1 ${MARKUP} 5000 typ host` });
  const log = [
    {
      type: "createDataChannel",
      value: JSON.stringify({ label: `${MARKUP}${"x".repeat(5_000_000)}` }),
      timestamp: t,
    },
    { type: "onsignalingstatechange", value: JSON.stringify(MARKUP), timestamp: t + 1 },
    { type: "setRemoteDescriptionOnFailure", value: `${MARKUP} refused`, timestamp: t + 2 },
    { type: "onicecandidate", value: candidate, timestamp: t + 3 },
    {
      type: "onicecandidateerror",
      value: JSON.stringify({
        url: `turn:user:${HOSTILE_SECRET}@192.0.2.1:3478?credential=${HOSTILE_SECRET}`,
        error_code: 401,
        error_text: MARKUP,
      }),
      timestamp: t + 4,
    },
    { type: "unknownEvent", value: `${"[".repeat(50_000)}${"]".repeat(50_000)}`, timestamp: t + 5 },
    { type: "onconnectionstatechange", value: '"connected"', timestamp: "not a time" },
  ];
  const dump = {
    PeerConnections: {
      [MARKUP]: {
        url: `https://evil.example/${encodeURIComponent(MARKUP)}?password=${HOSTILE_SECRET}#${HOSTILE_SECRET}`,
        rtcConfiguration: JSON.stringify({
          iceServers: [
            { urls: [`turn:u:${HOSTILE_SECRET}@192.0.2.1`], username: "u", credential: HOSTILE_SECRET },
          ],
        }),
        updateLog: log,
        stats: {
          [`${MARKUP}-state`]: { statsType: "data-channel", values: 7 },
          nested: { statsType: { deep: [[[]]] } },
        },
      },
    },
    UserAgent: MARKUP,
    timestamp: t + 10_000,
  };
  return gzipSync(JSON.stringify(dump));
}
