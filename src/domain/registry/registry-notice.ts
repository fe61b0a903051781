// The failure recipient hears of a submission whose registry answer brings new mismatches or
// conflicts: counts and where to work them, never a name. One statement, to run in the batch
// that stores the answer, so a crash cannot send it twice or lose it (one per submission and
// recipient, as the inbox's unique index keeps).
import type { InStatement } from '@libsql/client';

const NAME_SHOWN = 80;

export function registryNoticeStatement(submissionId: number, now: Date): InStatement {
  return registryNoticesStatement([submissionId], now);
}

/**
 * The notices of many submissions answered together, in one statement: a poll confirms
 * thousands in a province's run, and one statement each was parsed and planned each time.
 */
export function registryNoticesStatement(submissionIds: number[], now: Date): InStatement {
  return {
    sql: `INSERT INTO inbox_messages (recipient_id, subject, body, created_at, panel_id, submission_id, kind)
          SELECT n.recipient_id,
                 'CPAR registry feedback: ' || (n.mismatches + n.conflicts) || ' new for ' || n.name,
                 'The registry answered the latest CPAR submission of the panel "' || n.name || '"'
                   || coalesce(' (' || n.panel_number || ')', '') || ': it counted '
                   || coalesce(n.registry_counted, 0) || ' of ' || coalesce(n.patient_count, 0) || ' patients.' || char(10) || char(10)
                   || 'New since the last submission: '
                   || CASE WHEN n.mismatches > 0 THEN n.mismatches || ' demographic mismatch' || CASE WHEN n.mismatches = 1 THEN '' ELSE 'es' END ELSE '' END
                   || CASE WHEN n.mismatches > 0 AND n.conflicts > 0 THEN ' and ' ELSE '' END
                   || CASE WHEN n.conflicts > 0 THEN n.conflicts || ' conflict' || CASE WHEN n.conflicts = 1 THEN '' ELSE 's' END ELSE '' END
                   || '.' || char(10)
                   || 'A patient with a mismatch is left out of the panel the registry counts; a conflict shows on both providers'' reports until it is resolved.',
                 ?2, n.panel_id, n.id, 'registry'
            -- each submission with the exceptions it is the first to report (none: no row, no message)
            FROM (SELECT s.id, s.registry_counted, s.patient_count, p.id AS panel_id, p.panel_number, p.failure_recipient_id AS recipient_id,
                         CASE WHEN length(p.name) > ${NAME_SHOWN} THEN substr(p.name, 1, ${NAME_SHOWN}) || '…' ELSE p.name END AS name,
                         count(*) FILTER (WHERE e.kind = 'mismatch') AS mismatches, count(*) FILTER (WHERE e.kind = 'conflict') AS conflicts
                    FROM json_each(?1) j
                    JOIN submissions s ON s.id = j.value
                    JOIN panels p ON p.id = s.panel_id
                    JOIN registry_exceptions e ON e.submission_id = s.id AND e.open_since_submission_id = s.id
                   WHERE p.failure_recipient_id IS NOT NULL
                   GROUP BY s.id) n
           WHERE true
          ON CONFLICT DO NOTHING`,
    args: [JSON.stringify(submissionIds), now.getTime()],
  };
}
