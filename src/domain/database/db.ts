import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createClient, type Client } from '@libsql/client';

export type Db = Client;

/**
 * Every request to a libSQL server asks for its answer uncompressed. Node's fetch asks for
 * gzip by default and sqld obliges: a panel's extraction then cost the server its compression
 * and the portal the inflating (zlib was most of the preparing thread's time on sqld: 200
 * panels took 6.6 s of the client's CPU with it, 1.3–2.0 s without). The server sits next to
 * the portals (the README's deployment); the bytes saved are not worth the CPU.
 */
export function uncompressed(request: Request): Promise<Response> {
  request.headers.set('accept-encoding', 'identity');
  return fetch(request);
}

/**
 * Opens the portal's database. File databases get WAL and a busy timeout so a second
 * process (or the pooled connections of this one) waits for a writer instead of failing;
 * libSQL turns foreign keys on for every connection it opens.
 */
export async function openDatabase(url: string, authToken?: string): Promise<Db> {
  const isFile = url.startsWith('file:');
  if (isFile) {
    const path = url.slice('file:'.length);
    if (path && !path.startsWith(':')) mkdirSync(dirname(path), { recursive: true });
  }
  const db = createClient({ url, authToken, timeout: isFile ? 5000 : undefined, fetch: isFile ? undefined : uncompressed });
  if (isFile) await db.execute('PRAGMA journal_mode = WAL');
  return db;
}
