// The web-page probe's answer, sealed: the probe runs in the inspected page, whose scripts can read
// and write anything global there. The panel gives the probe a secret (numbers, never passed to a
// function the page could have replaced) and accepts its answer only with the seal made from it. So a
// page cannot write the diagnosis's web-page result; a page that replaced JSON.stringify before the
// probe ran still could, since nothing in the page's own world is beyond its reach.

/** A secret of four 32-bit words. */
export type ProbeSecret = readonly [number, number, number, number];

/** 32-bit multiplication with operators only: Math.imul is the page's to replace, and would see the key. */
function mul(a: number, b: number): number {
  return (((a & 0xffff) * b + ((((a >>> 16) * b) & 0xffff) << 16)) | 0) >>> 0;
}

/** Two keyed FNV-style lanes over `text`: 64 bits, as 16 hex digits. */
export function sealOf(secret: ProbeSecret, text: string): string {
  let h1 = (0x811c9dc5 ^ secret[0]) >>> 0;
  let h2 = (0x3bd39e10 ^ secret[1]) >>> 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = mul(h1 ^ c, 0x01000193);
    h2 = mul((h2 ^ c) >>> 0, 0x5bd1e995);
    h2 = (h2 ^ (h2 >>> 15)) >>> 0;
  }
  h1 = mul((h1 ^ secret[2]) >>> 0, 0x01000193);
  h2 = mul((h2 ^ secret[3]) >>> 0, 0x5bd1e995);
  return hex(h1) + hex(h2);
}

function hex(n: number): string {
  let out = "";
  for (let shift = 28; shift >= 0; shift -= 4) out += "0123456789abcdef"[(n >>> shift) & 15];
  return out;
}
