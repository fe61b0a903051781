// The trail stores codes; people read words. Shared by the audit page and the patient access report.
import type { AuditAction } from '../domain/audit/audit.ts';
import { isPermission, PERMISSION_LABELS } from '../domain/people/permissions.ts';

export const ACTION_WORDS: Record<AuditAction, string> = {
  view: 'Viewed', create: 'Added', edit: 'Changed', delete: 'Removed', export: 'Exported',
  submit: 'Sent to Netcare', 'sign-in': 'Signed in', 'sign-in failed': 'Sign-in failed', denied: 'Refused: no permission',
};
const OBJECT_WORDS: Record<string, string> = {
  panel: 'Panel', panel_members: 'Panel members', panel_member: 'Panel member', patient_search: 'Patient search in panel',
  submission_problems: 'Problems of submission', submission: 'Submission', user: 'User', sign_in_lock: 'Sign-in lock of user', practitioner: 'Practitioner', permission: 'Permission',
  audit_log: 'Audit log', patient_access_report: 'Patient access report', import: 'Import of file', clinic_settings: 'Readiness warning limits',
  registry_feedback: 'Registry feedback of panel', registry_conflict: 'Registry conflict', registry_mismatch: 'Registry mismatch',
};

type Entry = { action: string; objectType: string | null; objectId: string | null; objectName: string | null };

export const actionWords = (action: string) => ACTION_WORDS[action as AuditAction] ?? action;

/** A clerk's Submit queues the submission; the scheduler's entry is the send itself. */
export const entryWords = (row: Pick<Entry, 'action' | 'objectType'>) =>
  (row.action === 'submit' && row.objectType === 'submission' ? 'Submitted (queued to send)' : actionWords(row.action));

export const permissionWords = (names: string) =>
  names.split(',').filter(Boolean).map((n) => (isPermission(n) ? PERMISSION_LABELS[n] : n)).join(', ') || '—';

/** What an entry was about, in words, without the object's current name. */
export function objectWords(row: Entry): string {
  if (!row.objectType) return '';
  const what = OBJECT_WORDS[row.objectType] ?? row.objectType;
  if (row.objectType === 'permission' && row.objectId && isPermission(row.objectId)) return `${what}: ${PERMISSION_LABELS[row.objectId]}`;
  if (row.objectType === 'audit_log' || row.objectType === 'patient_access_report') return what;
  return `${what} ${row.objectId ?? ''}`;
}

export function AuditObject({ row }: { row: Entry }) {
  return (
    <>
      {objectWords(row)}
      {row.objectType && row.objectName ? <span class="object-name">{row.objectName}</span> : null}
    </>
  );
}
