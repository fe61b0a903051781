import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createClient, type Client } from '@libsql/client';
import { serverFetch } from './server-fetch.ts';
import { oneWriteAtATime } from './one-writer.ts';

export type Db = Client;

/**
 * Opens the portal's database. File databases get WAL and a busy timeout so a second
 * process (or the pooled connections of this one) waits for a writer instead of failing;
 * libSQL turns foreign keys on for every connection it opens. A libSQL server is reached
 * over node:http (server-fetch.ts) with this process's writes sent one at a time
 * (one-writer.ts).
 */
export async function openDatabase(url: string, authToken?: string): Promise<Db> {
  const isFile = url.startsWith('file:');
  if (isFile) {
    const path = url.slice('file:'.length);
    if (path && !path.startsWith(':')) mkdirSync(dirname(path), { recursive: true });
  }
  const isServer = /^(https?|libsql|wss?):/.test(url);
  const db = createClient({ url, authToken, timeout: isFile ? 5000 : undefined, fetch: isServer ? serverFetch : undefined });
  if (isServer) return oneWriteAtATime(db);
  if (isFile) await db.execute('PRAGMA journal_mode = WAL');
  return db;
}
