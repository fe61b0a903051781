import type { Db } from './db.ts';
import type { Clock } from '../time/clock.ts';

/** This installation's random identifier, made by the migration that created it. */
export async function installationId(db: Db): Promise<string> {
  const result = await db.execute('SELECT identifier FROM installation WHERE id = 1');
  return String(result.rows[0].identifier);
}

/**
 * When this portal first did scheduler work (its first tick, recorded by it): runs due
 * before then were never owed. Set once; every later call reads it.
 */
export async function inServiceSince(db: Db, clock: Clock): Promise<Date> {
  const known = await db.execute('SELECT in_service_since FROM installation WHERE id = 1');
  if (known.rows[0].in_service_since !== null) return new Date(Number(known.rows[0].in_service_since));
  const result = await db.execute({
    sql: 'UPDATE installation SET in_service_since = coalesce(in_service_since, ?) WHERE id = 1 RETURNING in_service_since',
    args: [clock.now().getTime()],
  });
  return new Date(Number(result.rows[0].in_service_since));
}
