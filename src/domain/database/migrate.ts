import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Db } from './db.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../../db/migrations/', import.meta.url));

export type Migration = { version: number; name: string; sql: string };

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d+_.+\.sql$/.test(file))
    .sort()
    .map((file) => ({
      version: Number(file.split('_')[0]),
      name: file,
      sql: readFileSync(dir + file, 'utf8'),
    }));
}

/**
 * Applies every migration not applied yet, each in its own write transaction together with
 * its row in schema_migrations, so two processes starting at once apply each exactly once.
 * Returns the names applied now.
 */
export async function migrate(db: Db, migrations = readMigrations()): Promise<string[]> {
  await db.execute(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  );
  const applied: string[] = [];
  // Read first: an up-to-date database is not write-locked at every start (another portal
  // may be holding the lock for a long write).
  const known = new Set((await db.execute('SELECT version FROM schema_migrations')).rows.map((r) => Number(r.version)));
  for (const migration of migrations) {
    if (known.has(migration.version)) continue;
    const tx = await db.transaction('write');
    try {
      const done = await tx.execute({
        sql: 'SELECT 1 FROM schema_migrations WHERE version = ?',
        args: [migration.version],
      });
      if (done.rows.length === 0) {
        await tx.executeMultiple(migration.sql);
        await tx.execute({
          sql: 'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
          args: [migration.version, migration.name, Date.now()],
        });
        applied.push(migration.name);
      }
      await tx.commit();
    } finally {
      tx.close();
    }
  }
  return applied;
}
