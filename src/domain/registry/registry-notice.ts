// The failure recipient hears of a submission whose registry answer brings new mismatches or
// conflicts: counts and where to work them, never a name. One statement, to run in the batch
// that stores the answer, so a crash cannot send it twice or lose it (one per submission and
// recipient, as the inbox's unique index keeps).
import type { InStatement } from '@libsql/client';

const NAME_SHOWN = 80;

export function registryNoticeStatement(submissionId: number, now: Date): InStatement {
  return {
    sql: `INSERT INTO inbox_messages (recipient_id, subject, body, created_at, panel_id, submission_id, kind)
          SELECT p.failure_recipient_id,
                 'CPAR registry feedback: ' || (n.mismatches + n.conflicts) || ' new for ' || short.name,
                 'The registry answered the latest CPAR submission of the panel "' || short.name || '"'
                   || coalesce(' (' || p.panel_number || ')', '') || ': it counted '
                   || coalesce(s.registry_counted, 0) || ' of ' || coalesce(s.patient_count, 0) || ' patients.' || char(10) || char(10)
                   || 'New since the last submission: '
                   || CASE WHEN n.mismatches > 0 THEN n.mismatches || ' demographic mismatch' || CASE WHEN n.mismatches = 1 THEN '' ELSE 'es' END ELSE '' END
                   || CASE WHEN n.mismatches > 0 AND n.conflicts > 0 THEN ' and ' ELSE '' END
                   || CASE WHEN n.conflicts > 0 THEN n.conflicts || ' conflict' || CASE WHEN n.conflicts = 1 THEN '' ELSE 's' END ELSE '' END
                   || '.' || char(10)
                   || 'A patient with a mismatch is left out of the panel the registry counts; a conflict shows on both providers'' reports until it is resolved.',
                 ?2, p.id, s.id, 'registry'
            FROM submissions s
            JOIN panels p ON p.id = s.panel_id
            JOIN (SELECT CASE WHEN length(name) > ${NAME_SHOWN} THEN substr(name, 1, ${NAME_SHOWN}) || '…' ELSE name END AS name, id
                    FROM panels) short ON short.id = p.id
            JOIN (SELECT count(*) FILTER (WHERE kind = 'mismatch') AS mismatches, count(*) FILTER (WHERE kind = 'conflict') AS conflicts
                    FROM registry_exceptions WHERE submission_id = ?1 AND open_since_submission_id = ?1) n
           WHERE s.id = ?1 AND p.failure_recipient_id IS NOT NULL AND n.mismatches + n.conflicts > 0
          ON CONFLICT DO NOTHING`,
    args: [submissionId, now.getTime()],
  };
}
