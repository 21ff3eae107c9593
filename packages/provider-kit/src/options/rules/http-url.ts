/**
 * An absolute http(s) base URL: a host, an optional path, no query or fragment (paths are appended
 * to it), no whitespace. Parsed by the platform's URL parser, as every request will be.
 */
export function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string' || /[\s?#]/.test(value) || !URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
}
