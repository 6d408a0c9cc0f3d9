// Number formatting for the panel: units always stated, SI prefixes (MB = 10^6 bytes).
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${Math.round(bytes)} B`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`;
  if (bytes < 1e9) return `${(bytes / 1e6).toFixed(2)} MB`;
  return `${(bytes / 1e9).toFixed(2)} GB`;
}

export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

export function formatMs(ms: number, resolutionMs = 0.1): string {
  const decimals = resolutionMs >= 1 ? 0 : resolutionMs >= 0.1 ? 1 : 2;
  return ms.toFixed(decimals);
}

export { count as formatCount } from "../report/figures";
