// Figures as the clock and the unit can resolve them: milliseconds to the microsecond (no browser
// clock is finer), byte rates to the byte per second, other rates to a thousandth. Applied to a report as it is made, so
// `p95Ms: 0.7000000001862645` reads 0.7: the digits past that are float noise, not measurement.

/** A copy of `value` with every number under a key ending in "Ms" or "PerSecond" rounded. */
export function resolvedFigures<T>(value: T): T {
  return walk(value, "") as T;
}

function walk(value: unknown, key: string): unknown {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return value;
    if (key.endsWith("Ms")) return Math.round(value * 1000) / 1000;
    if (/bytesPerSecond$/i.test(key)) return Math.round(value);
    if (key.endsWith("PerSecond")) return Math.round(value * 1000) / 1000;
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => walk(item, key));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = walk(v, k);
    return out;
  }
  return value;
}
