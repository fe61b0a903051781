// A year of monthly runs before the measured one, as the pipeline would have left them: one
// scheduled submission per panel per month, Submitted when the panel passes the five rules
// and Failed (with its problems by patient and one inbox message) when it does not. Built in
// SQL from the record's current state, so the Submissions page, the chart and the history
// pages have the volume a province would have after a year.
import { edmontonInstant, edmontonParts } from '../../src/domain/time/edmonton.ts';
import type { Db } from '../../src/domain/database/db.ts';
import { RUN_AT } from './scales.ts';

const MONTHS = 12;
const MINUTE = 60_000;

/** The 15th 21:00 of each of the twelve Edmonton months before the measured run, oldest first. */
export function pastRunInstants(): number[] {
  const { year, month } = edmontonParts(RUN_AT);
  return Array.from({ length: MONTHS }, (_, i) => edmontonInstant(year, month - MONTHS + i, 15, 21).getTime());
}

const phrase = (n: string, has: string, have: string) => `CASE ${n} WHEN 1 THEN '1 patient ${has}' ELSE ${n} || ' patients ${have}' END`;

export function historySteps(panels: number): { step: string; run: (db: Db) => Promise<unknown> }[] {
  const runs = pastRunInstants();
  const latest = runs[runs.length - 1];
  return [
    {
      // What each panel would fail on now, with the messages validatePanel writes.
      step: 'panel states',
      run: (db) => db.executeMultiple(`
        CREATE TABLE bench_state AS
        SELECT p.id AS panel_id, p.name, pr.name AS practitioner, pr.practitioner_id,
               coalesce(c.active_n, 0) AS active_n, coalesce(c.no_visit, 0) AS no_visit, coalesce(c.no_conf, 0) AS no_conf
          FROM panels p JOIN practitioners pr ON pr.id = p.id
          LEFT JOIN (SELECT m.panel_id, count(*) AS active_n,
                            sum(NOT EXISTS (SELECT 1 FROM visits v WHERE v.patient_id = m.patient_id)) AS no_visit,
                            sum(m.confirmed_on IS NULL) AS no_conf
                       FROM panel_members m JOIN patients pt ON pt.id = m.patient_id
                      WHERE pt.status = 'active' GROUP BY m.panel_id) c ON c.panel_id = p.id;
        ALTER TABLE bench_state ADD COLUMN brief TEXT;
        UPDATE bench_state SET brief = nullif(rtrim(
            CASE WHEN length(name) > 255 THEN 'The panel name is longer than 255 characters (' || length(name) || '). ' ELSE '' END
         || CASE WHEN practitioner_id IS NULL THEN practitioner || ' has no Practitioner ID recorded. ' ELSE '' END
         || CASE WHEN active_n = 0 THEN 'The panel has no patients assigned. ' ELSE '' END
         || CASE WHEN no_visit > 0 THEN ${phrase('no_visit', 'has', 'have')} || ' no last visit date. ' ELSE '' END
         || CASE WHEN no_conf > 0 THEN ${phrase('no_conf', 'has', 'have')} || ' no confirmation date for this panel. ' ELSE '' END
        ), '');`),
    },
    {
      step: `submissions (${MONTHS} months × ${panels})`,
      run: (db) => db.batch([
        { sql: `INSERT INTO scheduled_runs (job, scheduled_for, started_at, finished_at, late, summary)
                SELECT 'monthly-run', value, value, value + 10 * ${MINUTE}, 0, '{}' FROM json_each(?)`,
          args: [JSON.stringify(runs)] },
        `INSERT INTO submissions (panel_id, status, created_at, patient_count, brief_error, trigger, run_id,
                                  netcare_reference, pending_at, submitted_at, failed_at, recipient_notified)
         SELECT b.panel_id, CASE WHEN b.brief IS NULL THEN 'Submitted' ELSE 'Failed' END, r.scheduled_for, b.active_n,
                b.brief, 'scheduled', r.id,
                CASE WHEN b.brief IS NULL THEN printf('NC-%012X', ${'(r.id * 1000003 + b.panel_id) * 2654435761 % 281474976710597'}) END,
                CASE WHEN b.brief IS NULL THEN r.scheduled_for + ${MINUTE} END,
                CASE WHEN b.brief IS NULL THEN r.scheduled_for + 10 * ${MINUTE} END,
                CASE WHEN b.brief IS NOT NULL THEN r.scheduled_for + ${MINUTE} END,
                CASE WHEN b.brief IS NOT NULL THEN 1 END
           FROM scheduled_runs r CROSS JOIN bench_state b
          WHERE r.job = 'monthly-run'
          ORDER BY r.scheduled_for, b.panel_id`,
      ], 'write'),
    },
    {
      step: 'problems of failed submissions',
      run: (db) => db.executeMultiple(`
        INSERT INTO submission_problems (submission_id, reason, patient_id, detail)
        SELECT s.id, x.reason, NULL, x.detail
          FROM submissions s JOIN bench_state b ON b.panel_id = s.panel_id
          JOIN (SELECT panel_id, 'name_too_long' AS reason, 'The panel name is longer than 255 characters (' || length(name) || ').' AS detail
                  FROM bench_state WHERE length(name) > 255
                UNION ALL SELECT panel_id, 'practitioner_without_id', practitioner || ' has no Practitioner ID recorded.' FROM bench_state WHERE practitioner_id IS NULL
                UNION ALL SELECT panel_id, 'no_patients', 'The panel has no patients assigned.' FROM bench_state WHERE active_n = 0) x
            ON x.panel_id = s.panel_id
         WHERE s.status = 'Failed' ORDER BY s.id;
        INSERT INTO submission_problems (submission_id, reason, patient_id, detail)
        SELECT s.id, 'no_last_visit', m.patient_id, NULL
          FROM submissions s JOIN panel_members m ON m.panel_id = s.panel_id JOIN patients pt ON pt.id = m.patient_id
         WHERE s.status = 'Failed' AND pt.status = 'active'
           AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.patient_id = m.patient_id)
         ORDER BY s.id, m.patient_id;
        INSERT INTO submission_problems (submission_id, reason, patient_id, detail)
        SELECT s.id, 'no_confirmation_date', m.patient_id, NULL
          FROM submissions s JOIN panel_members m ON m.panel_id = s.panel_id JOIN patients pt ON pt.id = m.patient_id
         WHERE s.status = 'Failed' AND pt.status = 'active' AND m.confirmed_on IS NULL
         ORDER BY s.id, m.patient_id;`),
    },
    {
      // One message per failure to the panel's recipient; read, except last month's.
      step: 'inbox messages',
      run: (db) => db.execute({
        sql: `INSERT INTO inbox_messages (recipient_id, subject, body, created_at, read_at, panel_id, submission_id)
              SELECT p.failure_recipient_id, 'CPAR submission failed: ' || substr(p.name, 1, 80),
                     'The CPAR submission of the panel failed.' || char(10) || char(10) || 'What failed: ' || s.brief_error,
                     s.failed_at, CASE WHEN s.created_at < ? THEN s.failed_at + 86400000 END, p.id, s.id
                FROM submissions s JOIN panels p ON p.id = s.panel_id
               WHERE s.status = 'Failed' AND p.failure_recipient_id IS NOT NULL
               ORDER BY s.id`,
        args: [latest],
      }),
    },
    { step: 'drop panel states', run: (db) => db.execute('DROP TABLE bench_state') },
  ];
}
