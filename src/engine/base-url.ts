/**
 * A URL built from the request's base URL, written with that base URL's origin as the request gave it (its Host, in
 * the case it was sent, with any port written out): a twin's links in headers then read as the links in its bodies,
 * which start with the base URL itself, where `URL` would have lower-cased the host and dropped a default port.
 *
 * @example
 * atBaseUrl('http://Twin.Test:80', new URL('http://Twin.Test:80/api/v1/users?limit=2')); // 'http://Twin.Test:80/api/v1/users?limit=2'
 */
export function atBaseUrl(baseUrl: string, url: URL): string {
  const origin = /^[^:/?#]+:\/\/[^/?#]*/.exec(baseUrl)?.[0] ?? url.origin;
  return origin + url.href.slice(url.origin.length);
}
