import type { Request } from 'express';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The host (with port) a URL-ish header points at; undefined when it is not a URL (`null`, garbage). */
function hostOf(value: string): string | undefined {
  try {
    return new URL(value).host.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * Why a state-changing request must be refused, or undefined to let it
 * through. Browsers attach credentials (basic auth, cookies) to requests
 * another site's form makes them send, so a credentialed request alone does
 * not prove that the person meant it (the dashboard and the support inbox).
 *
 * The same rules as Go's `http.CrossOriginProtection`: `Sec-Fetch-Site` is the
 * browser's own verdict and a page cannot forge it, so when present it
 * decides (and keeps working behind a proxy that rewrites `Host`). Older
 * browsers fall back to `Origin`, then `Referer`, whose host must be ours;
 * only the host is compared because behind a TLS-terminating proxy the scheme
 * the browser saw is not the one we see. A request with none of them did not
 * come from a browser page (curl, a script holding the credentials), which is
 * not what CSRF is about.
 */
export function crossSiteReason(req: Request): string | undefined {
  if (SAFE_METHODS.has(req.method)) return undefined;
  const fetchSite = req.get('sec-fetch-site');
  if (fetchSite !== undefined) {
    return fetchSite === 'same-origin' || fetchSite === 'none' ? undefined : `sec-fetch-site ${fetchSite}`;
  }
  const host = req.get('host')?.toLowerCase();
  const ours = (value: string) => host !== undefined && hostOf(value) === host;
  const origin = req.get('origin');
  if (origin !== undefined) {
    return ours(origin) ? undefined : 'origin mismatch';
  }
  const referer = req.get('referer');
  if (referer !== undefined) {
    return ours(referer) ? undefined : 'referer mismatch';
  }
  return undefined;
}
