// One formatter per unit, shared by the panel, the report summaries, the command line and the bench.
// Units are always stated; prefixes are SI (MB = 10^6 bytes), as docs/MEASUREMENT.md says.

/** "512 B", "64.0 kB", "6.78 MB", "1.20 GB". */
export function bytes(n: number): string {
  if (n < 1000) return `${Math.round(n)} B`;
  if (n < 1e6) return `${(n / 1e3).toFixed(1)} kB`;
  if (n < 1e9) return `${(n / 1e6).toFixed(2)} MB`;
  return `${(n / 1e9).toFixed(2)} GB`;
}

/** A data rate in three significant figures ("512 B/s", "64.0 kB/s", "6.78 MB/s", "14.2 MB/s", "120 MB/s"), so a rate just under a threshold never prints equal to it. */
export function rate(bytesPerSecond: number): string {
  const [value, unit] =
    bytesPerSecond < 1000
      ? [bytesPerSecond, "B"]
      : bytesPerSecond < 1e6
        ? [bytesPerSecond / 1e3, "kB"]
        : bytesPerSecond < 1e9
          ? [bytesPerSecond / 1e6, "MB"]
          : [bytesPerSecond / 1e9, "GB"];
  const digits = unit === "B" || value >= 100 ? value.toFixed(0) : value.toPrecision(3);
  return `${digits} ${unit}/s`;
}

/** "0.84 ms", "42.5 ms", "2000 ms"; "n/a" for a figure that was not measured. */
export function milliseconds(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return "n/a";
  return `${ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0)} ms`;
}

/** A time on the timeline, without its unit (the column says ms), to the clock's resolution. */
export function timestamp(ms: number, resolutionMs = 0.1): string {
  const decimals = resolutionMs >= 1 ? 0 : resolutionMs >= 0.1 ? 1 : 2;
  return ms.toFixed(decimals);
}

/** "1,234". */
export const count = (n: number): string => Math.round(n).toLocaleString("en");

/** A count with its noun in agreement: "1 message", "2 messages", "1,024 messages". */
export const counted = (n: number, singular: string, plural = `${singular}s`): string =>
  `${count(n)} ${Math.round(n) === 1 ? singular : plural}`;

/** A message size as people set it: "256 KiB", "1 MiB", "1200 B" (exact bytes when it is no whole KiB). */
export function messageSize(n: number): string {
  if (n >= 1 << 20 && n % (1 << 20) === 0) return `${n / (1 << 20)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${count(n)} B`;
}
