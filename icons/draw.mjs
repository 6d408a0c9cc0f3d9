// Draws the extension icon (two peers joined by a loop) into PNGs at every size the
// manifest declares. Run `node icons/draw.mjs` after changing the drawing; the PNGs are committed.
import { writeFileSync } from "node:fs";
import { deflateSync } from "node:zlib";

const SIZES = [16, 32, 48, 128];
const BLUE = [26, 115, 232];
const GREEN = [30, 142, 62];
const INK = [32, 33, 36];

function crc32(buf) {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "ascii");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

function png(size, pixel) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel(x, y);
      const o = y * (size * 4 + 1) + 1 + x * 4;
      raw[o] = r;
      raw[o + 1] = g;
      raw[o + 2] = b;
      raw[o + 3] = a;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

// Coverage of a unit-space shape, supersampled 4x4 for smooth edges.
function shade(size, inside) {
  return (x, y) => {
    let hits = 0;
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++) if (inside((x + (i + 0.5) / 4) / size, (y + (j + 0.5) / 4) / size)) hits++;
    return hits / 16;
  };
}

const peerA = (u, v) => Math.hypot(u - 0.24, v - 0.5) < 0.17;
const peerB = (u, v) => Math.hypot(u - 0.76, v - 0.5) < 0.17;
// The loop: an elliptic ring through both peers, the path a loopback message travels.
const ring = (u, v) => {
  const d = Math.hypot((u - 0.5) / 0.36, (v - 0.5) / 0.3);
  return d > 0.84 && d < 1.06;
};

for (const size of SIZES) {
  const a = shade(size, peerA);
  const b = shade(size, peerB);
  const r = shade(size, ring);
  const image = png(size, (x, y) => {
    const ca = a(x, y);
    const cb = b(x, y);
    const cr = r(x, y);
    const [color, cover] = ca > 0 ? [BLUE, ca] : cb > 0 ? [GREEN, cb] : [INK, cr];
    return [...color, Math.round(255 * Math.min(1, cover))];
  });
  writeFileSync(new URL(`icon-${size}.png`, import.meta.url), image);
}
