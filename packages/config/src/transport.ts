const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Whether a URL that carries credentials may be used in production: over
 * TLS, or plain http to a proxy on the same host, where nothing crosses a
 * network.
 */
export function isTlsOrLoopback(url: URL): boolean {
  return url.protocol === 'https:' || LOOPBACK_HOSTS.has(url.hostname);
}
