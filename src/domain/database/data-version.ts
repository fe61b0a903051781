import type { Db } from './db.ts';
import { readRow } from './prepared-read.ts';

/**
 * The version of the data the pages read: triggers bump it on every insert, update or delete
 * of those tables (migration 025), whichever process writes. One cheap read per request.
 */
export async function dataVersion(db: Db): Promise<number> {
  return Number((await readRow(db, 'SELECT version FROM data_version'))!.version);
}

type Kept = { version: number; value: Promise<unknown> };

// Per database client: tests (and a process) may hold several. Each holds the newest 200
// keys (a kept members page is ~60 KB of HTML: ~12 MB at most), in this process's memory
// only; the oldest key goes first when it is full.
const MAX_KEYS = 200;
const kept = new WeakMap<Db, Map<string, Kept>>();

/**
 * What `load` gives for `key` at the data's current version: loaded once per version and
 * kept until the data changes. The version is read before loading, so what is kept is at
 * least as new as the version it is kept under; a write in between only costs a second load.
 * The value is shared by every caller: treat it as read-only. A key must name everything else
 * the value depends on (the page asked for, the day, …). `known`: the version read already in
 * this request, before anything it shows (a GET's, read with its session); undefined, it is read.
 */
export async function atDataVersion<T>(db: Db, key: string, known: number | undefined, load: () => Promise<T>): Promise<T> {
  const version = known ?? await dataVersion(db);
  let byKey = kept.get(db);
  if (!byKey) kept.set(db, (byKey = new Map()));
  const hit = byKey.get(key);
  if (hit && hit.version === version) return hit.value as Promise<T>;
  const value = load();
  byKey.delete(key);
  byKey.set(key, { version, value });
  if (byKey.size > MAX_KEYS) byKey.delete(byKey.keys().next().value!);
  // A failed load is not kept: the next request tries again.
  value.catch(() => { if (byKey.get(key)?.value === value) byKey.delete(key); });
  return value;
}
