// Storing the registry's answer: the statements that turn confirmed submissions Submitted
// together with their outcome, for the poll to commit in one batch — a crash before it loses
// nothing (the next poll asks again), and a submission no longer Pending gets nothing twice.
import type { InStatement } from '@libsql/client';
import type { RegistryException, RegistryOutcome } from '../submissions/netcare.ts';
import { registryNoticesStatement } from './registry-notice.ts';

export type Confirmation = { submissionId: number; registry: RegistryOutcome };

/** Whether an outcome can be the answer for a panel of `patientCount`: otherwise it is asked for again. */
export function outcomeFits(registry: RegistryOutcome, patientCount: number): boolean {
  return registry.counted <= patientCount && registry.exceptions.every((e) => e.member < patientCount);
}

/** The exceptions first (only for a submission still Pending), then the transition. */
export function confirmationStatements(now: number, confirmed: Confirmation[]): InStatement[] {
  const exceptions = confirmed.flatMap(({ submissionId, registry }) =>
    registry.exceptions.map((e) => ({ sid: submissionId, uli: e.uli, kind: e.kind, detail: JSON.stringify(detailOf(e)) })));
  return [
    {
      // Kept by ULI, the member's identity in the message and the registry's: the pages find
      // the patient (db/migrations/036). Open since the previous outcome of the panel's that
      // reported the same exception, else since this one. The list is read once and each
      // submission's previous outcome found once (MATERIALIZED).
      sql: `WITH x AS MATERIALIZED (
              SELECT value ->> 'sid' AS sid, value ->> 'uli' AS uli, value ->> 'kind' AS kind, value ->> 'detail' AS detail FROM json_each(?)),
            -- each submission still Pending, with the panel's previous outcome: found once, not once per exception
            s AS MATERIALIZED (
              SELECT s.id, s.panel_id,
                     (SELECT max(p.id) FROM submissions p WHERE p.panel_id = s.panel_id AND p.id < s.id
                         AND p.status = 'Submitted' AND p.registry_counted IS NOT NULL) AS previous
                FROM submissions s WHERE s.id IN (SELECT sid FROM x) AND s.status = 'Pending')
            INSERT INTO registry_exceptions (submission_id, panel_id, uli, kind, detail, open_since_submission_id)
            SELECT s.id, s.panel_id, x.uli, x.kind, x.detail,
                   coalesce((SELECT e.open_since_submission_id FROM registry_exceptions e
                              WHERE e.submission_id = s.previous AND e.uli = x.uli AND e.kind = x.kind
                                AND (x.kind = 'mismatch' OR e.detail ->> 'provider' = x.detail ->> 'provider')),
                            s.id)
              FROM x JOIN s ON s.id = x.sid`,
      args: [JSON.stringify(exceptions)],
    },
    {
      sql: `UPDATE submissions SET status = 'Submitted', submitted_at = ?1, last_polled_at = ?1, registry_counted = c.counted
              FROM (SELECT value ->> 0 AS id, value ->> 1 AS counted FROM json_each(?2)) AS c
             WHERE submissions.id = c.id AND submissions.status = 'Pending'`,
      args: [now, JSON.stringify(confirmed.map((c) => [c.submissionId, c.registry.counted]))],
    },
    // The failure recipient hears of new mismatches and conflicts, in the same commit.
    registryNoticesStatement(confirmed.map((c) => c.submissionId), new Date(now)),
  ];
}

export function detailOf(e: RegistryException) {
  return e.kind === 'mismatch' ? { fields: e.fields } : { provider: e.provider, clinic: e.clinic, confirmedOn: e.confirmedOn };
}
