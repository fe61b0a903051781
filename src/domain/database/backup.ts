import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createClient } from '@libsql/client';
import type { Db } from './db.ts';

export type BackupResult = { ok: true; path: string; integrity: string; tables: Record<string, number> } | { ok: false; message: string };

/**
 * A consistent copy of a file database while the portal keeps writing: VACUUM INTO reads one
 * snapshot of the database. The copy is then opened on its own and checked.
 */
export async function backupDatabase(db: Db, databaseUrl: string, target: string): Promise<BackupResult> {
  if (!databaseUrl.startsWith('file:')) {
    return { ok: false, message: 'backup copies a file database; back up a libSQL server with its own tools' };
  }
  const path = resolve(target);
  if (existsSync(path)) return { ok: false, message: `${target} already exists: choose a new file name` };
  await db.execute({ sql: 'VACUUM INTO ?', args: [path] });
  const copy = createClient({ url: `file:${path}` });
  try {
    const integrity = String((await copy.execute('PRAGMA integrity_check')).rows[0].integrity_check);
    if (integrity !== 'ok') return { ok: false, message: `the copy failed its integrity check: ${integrity}` };
    const names = (await copy.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")).rows;
    const tables: Record<string, number> = {};
    for (const { name } of names) {
      tables[String(name)] = Number((await copy.execute(`SELECT count(*) AS n FROM "${String(name)}"`)).rows[0].n);
    }
    return { ok: true, path, integrity, tables };
  } finally {
    copy.close();
  }
}
