/**
 * Query parameters as strings. Repeated parameters keep their first value,
 * and the same value is both verified here and stored for the worker, so the
 * two can never disagree about which copy was signed.
 */
export function normalizeQuery(query: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof query !== 'object' || query === null) return out;
  for (const [key, value] of Object.entries(query as Record<string, unknown>)) {
    const first: unknown = Array.isArray(value) ? value[0] : value;
    // A `__proto__` key would be dropped by assignment anyway; skip it explicitly.
    if (typeof first === 'string' && key !== '__proto__') out[key] = first;
  }
  return out;
}
