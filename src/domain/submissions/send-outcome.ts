// What a send's outcome means for its submission, in the words the clinic reads. A data
// error names what to fix; a transport failure says Netcare did not get the panel (and the
// panel is retried by itself); a refusal before sending says nothing was sent.
import type { InStatement } from '@libsql/client';
import type { Clock } from '../time/clock.ts';
import type { SendOutcome } from './netcare.ts';
import type { Validation } from '../panels/validation.ts';
import type { Failure, Problem } from './failures.ts';
import { auditStatements, type Disclosed } from '../audit/audit.ts';

export const UNREACHABLE = 'Netcare could not be reached.';
export const errorAnswered = (status: number) => `Netcare answered with an error (HTTP ${status}).`;
/** Said of a Pending submission whose send went unanswered, until Netcare is asked by its key. */
export const UNANSWERED = 'Netcare did not answer in time — still checking';

/** The outcomes that end a send as Failed. */
export type FailedSend = Extract<SendOutcome, { kind: 'rejected' | 'not_sent' | 'error' | 'unreachable' }>;

/** The technical detail (attempts, codes) goes to the problems only, shown on the submission's page. */
export function sendFailure(sent: FailedSend, patientCount: number): Failure {
  switch (sent.kind) {
    case 'rejected':
      return { briefError: `Netcare rejected the submission: ${sent.reason}`, patientCount,
        problems: [{ reason: 'netcare_rejected', patientId: null, detail: sent.reason }] };
    case 'not_sent':
      return { briefError: `Not sent: the panel failed the portal’s own check before sending (${sent.reason}).`, patientCount,
        problems: [{ reason: 'message_check', patientId: null, detail: sent.reason }] };
    case 'error':
      return { briefError: errorAnswered(sent.status), patientCount, transient: true,
        problems: [{ reason: 'netcare_error', patientId: null, detail: sent.detail }] };
    case 'unreachable':
      return { briefError: UNREACHABLE, patientCount, transient: true,
        problems: [{ reason: 'netcare_unreachable', patientId: null, detail: sent.detail }] };
  }
}

/** A panel the five rules refuse: one problem per patient, or the panel's own. */
export function ruleFailure(validation: Validation, patientCount: number): Failure {
  const problems = validation.failures.flatMap((f): Problem[] =>
    f.patientIds.length
      ? f.patientIds.map((patientId) => ({ reason: f.reason, patientId, detail: null }))
      : [{ reason: f.reason, patientId: null, detail: f.message }],
  );
  return { briefError: validation.briefError!, problems, patientCount };
}

/** What left the clinic: the panel and every patient its message named, whatever Netcare answered. */
export function disclosure(clock: Clock, panelId: number, sent: Disclosed, submissionId: number): InStatement[] {
  return auditStatements(clock, null, {
    action: 'submit', route: 'pipeline: send to Netcare', objectType: 'panel', objectId: panelId,
    disclosed: sent, requestId: `submission-${submissionId}`,
  }, 'CPAR scheduler');
}
