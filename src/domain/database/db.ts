import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createClient, type Client } from '@libsql/client';
import { serverFetch } from './server-fetch.ts';

export type Db = Client;

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
  const db = createClient({ url, authToken, timeout: isFile ? 5000 : undefined, fetch: isFile ? undefined : serverFetch });
  if (isFile) await db.execute('PRAGMA journal_mode = WAL');
  return db;
}
