/** The file a `file:` URL names, or null for anything else (a libSQL server, a database in memory, a URL with options). */
export function filePath(url: string): string | null {
  if (!url.startsWith('file:') || url.includes('?')) return null;
  const path = url.slice('file:'.length);
  return path === '' || path.startsWith(':') ? null : path;
}
