// Where to go after sign-in. Browsers drop tabs and newlines from a URL and read "\" as "/", so
// "/\t/evil.example" or "/\evil.example" leaves the site; CR/LF would split the header (issue 13).
const UNSAFE = /[\u0000-\u0020\u007f-\u009f\u2028\u2029\\]/;

/**
 * A path on this site (`origin` is the portal's own), or "/" for anything else: it must start
 * with a single "/", hold no whitespace, control character or backslash (nor encode one), and
 * parse against the origin without leaving it.
 */
export function safeNext(value: unknown, origin: string): string {
  if (typeof value !== 'string' || !/^\/(?![/\\])/.test(value)) return '/';
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    return '/';
  }
  if (UNSAFE.test(decoded) || decoded.startsWith('//')) return '/';
  const url = new URL(value, origin);
  return url.origin === origin ? `${url.pathname}${url.search}${url.hash}` : '/';
}
