/**
 * Sum of the samples of `name` in a Prometheus text exposition whose labels
 * include every pair in `labels` (0 when there is none).
 */
export function readMetric(exposition: string, name: string, labels: Readonly<Record<string, string>> = {}): number {
  let total = 0;
  for (const line of exposition.split('\n')) {
    const match = /^([A-Za-z_:][A-Za-z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    const labelText = match[2] ?? '';
    if (!Object.entries(labels).every(([key, value]) => labelText.includes(`${key}="${value}"`))) continue;
    total += Number(match[3]);
  }
  return total;
}
