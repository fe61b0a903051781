import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createClient, type Client } from '@libsql/client';
import { BUSY_TIMEOUT_MS, closeReader, readFromFile } from './prepared-read.ts';
import { serverFetch } from './server-fetch.ts';
import { oneWriteAtATime } from './one-writer.ts';
import { keepPreparedStatements } from './statement-cache.ts';
import { waitForLocksAsynchronously } from './busy-retry.ts';
import { closeServerStreams, streamsToServer } from './server-streams.ts';

export type Db = Client;

/**
 * Opens the portal's database. File databases get WAL, and their writes wait for another
 * writer (a second process, the importing thread) instead of failing, without holding the
 * thread while they wait (busy-retry.ts);
 * libSQL turns foreign keys on for every connection it opens. A libSQL server is reached
 * with this process's writes sent one at a time (one-writer.ts), its reads and writes on
 * streams kept open over a WebSocket (server-streams.ts) and the rest over node:http
 * (server-fetch.ts). A file's connections
 * keep their prepared statements (statement-cache.ts).
 */
export async function openDatabase(url: string, authToken?: string): Promise<Db> {
  const isFile = url.startsWith('file:');
  const path = isFile ? url.slice('file:'.length) : '';
  if (path && !path.startsWith(':')) mkdirSync(dirname(path), { recursive: true });
  // A plain file path (no memory database, no URL options): its per-request reads are prepared once.
  const onDisk = path !== '' && !path.startsWith(':') && !url.includes('?');
  const isServer = /^(https?|libsql|wss?):/.test(url);
  if (isFile) keepPreparedStatements();
  // A file's connections answer busy at once; the client waits for the lock without holding the thread.
  const db = createClient({ url, authToken, timeout: isFile ? 0 : undefined, fetch: isServer ? serverFetch : undefined });
  if (isFile) waitForLocksAsynchronously(db, BUSY_TIMEOUT_MS);
  if (isServer) {
    const server = oneWriteAtATime(db);
    streamsToServer(server, url, authToken);
    const close = server.close.bind(server);
    server.close = () => {
      closeServerStreams(server);
      close();
    };
    return server;
  }
  if (isFile) await db.execute('PRAGMA journal_mode = WAL');
  if (onDisk) {
    readFromFile(db, path);
    const close = db.close.bind(db);
    db.close = () => {
      closeReader(db);
      close();
    };
  }
  return db;
}
