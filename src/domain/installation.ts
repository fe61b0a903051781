import type { Db } from './db.ts';

/** This installation's random identifier, made by the migration that created it. */
export async function installationId(db: Db): Promise<string> {
  const result = await db.execute('SELECT identifier FROM installation WHERE id = 1');
  return String(result.rows[0].identifier);
}
