import type { InStatement } from '@libsql/client';
import type { Clock } from '../time/clock.ts';
import type { Db } from '../database/db.ts';
import { edmontonParts, formatEdmontonDateTime, monthName } from '../time/edmonton.ts';
import { MONTHLY_JOB, monthlyInstant, START_GRACE_MS } from './schedule.ts';

/** how far back a portal that was down looks for monthly runs that never happened */
const MISSED_LOOKBACK_MONTHS = 24;

/** Every enabled user who may manage users hears of the run, once (the unique index). */
function toAdministrators(clock: Clock, runSql: string, runArgs: (string | number)[], subject: string, body: string): InStatement {
  return {
    sql: `INSERT INTO inbox_messages (recipient_id, subject, body, created_at, run_id)
          SELECT u.id, ?, ?, ?, r.id FROM users u, (${runSql}) r
           WHERE u.disabled_at IS NULL
             AND EXISTS (SELECT 1 FROM user_permissions p WHERE p.user_id = u.id AND p.permission = 'manage_users')
          ON CONFLICT DO NOTHING`,
    args: [subject, body, clock.now().getTime(), ...runArgs],
  };
}

const when = (at: Date) => `${formatEdmontonDateTime(at)} (Edmonton time)`;

/** The administrators' message about a monthly run that finished late; none when it was on time. */
export function lateRunNotice(clock: Clock, runId: number, scheduledFor: Date): InStatement {
  const { month } = edmontonParts(scheduledFor);
  return toAdministrators(clock, `SELECT id FROM scheduled_runs WHERE id = ? AND late = 1 AND finished_at IS NOT NULL AND job = '${MONTHLY_JOB}'`, [runId],
    `The monthly CPAR run of ${monthName(month)} was late`,
    `The monthly run due ${when(scheduledFor)} finished ${when(clock.now())}: no portal was running at its time, `
    + 'or one stopped before finishing it. Every CPAR panel was sent as it stood when the run was done. '
    + 'The Submissions page shows how each panel ended.');
}

/**
 * Records as missed each monthly run before `current` that never happened before the next
 * was due (no portal ran all that time), and tells the administrators. Only months since
 * the last run recorded, and since the portal was in service, are looked at.
 */
export async function recordMissedMonths(db: Db, clock: Clock, current: Date, inServiceSince: Date): Promise<void> {
  const last = await db.execute({
    sql: 'SELECT coalesce(max(scheduled_for), 0) AS at FROM scheduled_runs WHERE job = ? AND scheduled_for < ?',
    args: [MONTHLY_JOB, current.getTime()],
  });
  const after = Math.max(Number(last.rows[0].at), inServiceSince.getTime() - START_GRACE_MS - 1);
  const { year, month } = edmontonParts(current);
  const missed: Date[] = [];
  for (let back = MISSED_LOOKBACK_MONTHS; back >= 1; back--) {
    const at = monthlyInstant(year, month, -back);
    if (at.getTime() > after) missed.push(at);
  }
  if (!missed.length) return;
  const now = clock.now().getTime();
  await db.batch([
    {
      sql: `INSERT INTO scheduled_runs (job, scheduled_for, started_at, finished_at, missed)
            SELECT ?, value, ?, ?, 1 FROM json_each(?) WHERE true ON CONFLICT (job, scheduled_for) DO NOTHING`,
      args: [MONTHLY_JOB, now, now, JSON.stringify(missed.map((at) => at.getTime()))],
    },
    ...missed.map((at, i) => {
      const name = monthName(edmontonParts(at).month);
      const next = missed[i + 1] ?? current;
      return toAdministrators(clock, `SELECT id FROM scheduled_runs WHERE job = '${MONTHLY_JOB}' AND scheduled_for = ? AND missed = 1`, [at.getTime()],
        `The monthly CPAR run of ${name} was missed`,
        `No portal was running from ${when(at)} until the next monthly run was due (${when(next)}), `
        + `so the monthly run of ${name} never sent the clinic's panels to Netcare. `
        + 'A panel can still be sent by hand with Submit on the Submissions page.');
    }),
  ], 'write');
}
