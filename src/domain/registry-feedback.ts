// The registry's answer to a panel, as the clinic works it: the mismatches and conflicts its
// latest counted submission reported, since when each has been open, and what the clinic did
// about each. An item is resolved when a later submission no longer reports it — the clinic's
// actions record what was done, never that the registry agreed.
import type { Db } from './db.ts';
import type { Clock } from './clock.ts';
import type { Scope } from './permissions.ts';
import { auditStatements } from './audit.ts';
import { edmontonDate } from './edmonton.ts';

export type MismatchField = { field: 'lastName' | 'firstName' | 'birthDate' | 'gender'; clinic: string; registry: string };
export type ConflictDetail = { provider: string; clinic: string; confirmedOn: string };

export const FEEDBACK_ACTIONS = ['contacted', 'confirmed', 'removed', 'corrected'] as const;
export type FeedbackAction = (typeof FEEDBACK_ACTIONS)[number];

export function isFeedbackAction(value: unknown): value is FeedbackAction {
  return typeof value === 'string' && (FEEDBACK_ACTIONS as readonly string[]).includes(value);
}

export type ActionTaken = { action: FeedbackAction; at: Date; by: string; confirmedOn: string | null };

type ItemBase = {
  id: number;
  patient: { id: number; name: string; uli: string } | null;
  openSince: { submissionId: number; createdAt: Date };
  /** what the clinic recorded about this item since it opened, oldest first */
  actions: ActionTaken[];
};
export type FeedbackItem =
  | (ItemBase & { kind: 'mismatch'; fields: MismatchField[] })
  | (ItemBase & { kind: 'conflict'; other: ConflictDetail });

export type RegistryFeedback = null | {
  submission: { id: number; createdAt: Date; patientCount: number; counted: number };
  mismatches: FeedbackItem[];
  conflicts: FeedbackItem[];
};

/** The latest Submitted submission of a panel that has the registry's answer, and its open items. */
export async function registryFeedback(db: Db, panelId: number): Promise<RegistryFeedback> {
  const [latest, items, actions] = await db.batch([
    {
      sql: `SELECT id, created_at, patient_count, registry_counted FROM submissions
             WHERE panel_id = ? AND status = 'Submitted' AND registry_counted IS NOT NULL
             ORDER BY created_at DESC, id DESC LIMIT 1`,
      args: [panelId],
    },
    {
      sql: `SELECT e.id, e.kind, e.detail, e.patient_id, pt.last_name, pt.first_name, pt.uli,
                   e.open_since_submission_id, o.created_at AS open_since_at
              FROM registry_exceptions e
              JOIN submissions o ON o.id = e.open_since_submission_id
              LEFT JOIN patients pt ON pt.id = e.patient_id
             WHERE e.submission_id = (SELECT id FROM submissions WHERE panel_id = ?1 AND status = 'Submitted' AND registry_counted IS NOT NULL
                                       ORDER BY created_at DESC, id DESC LIMIT 1)
             ORDER BY pt.last_name COLLATE NOCASE, pt.first_name COLLATE NOCASE, e.id`,
      args: [panelId],
    },
    {
      sql: `SELECT a.patient_id, a.kind, a.action, a.at, a.confirmed_on, u.full_name
              FROM registry_actions a JOIN users u ON u.id = a.user_id
             WHERE a.panel_id = ? ORDER BY a.at, a.id`,
      args: [panelId],
    },
  ], 'read');
  const s = latest.rows[0];
  if (!s) return null;
  const toItem = (r: Record<string, unknown>): FeedbackItem => {
    const openedAt = new Date(Number(r.open_since_at));
    const base: ItemBase = {
      id: Number(r.id),
      patient: r.patient_id === null ? null : { id: Number(r.patient_id), name: `${r.last_name}, ${r.first_name}`, uli: String(r.uli) },
      openSince: { submissionId: Number(r.open_since_submission_id), createdAt: openedAt },
      // Actions on this patient and kind since the item opened: an older one belongs to an earlier episode.
      actions: actions.rows
        .filter((a) => Number(a.patient_id) === Number(r.patient_id) && a.kind === r.kind && Number(a.at) >= openedAt.getTime())
        .map((a) => ({ action: a.action as FeedbackAction, at: new Date(Number(a.at)), by: String(a.full_name),
          confirmedOn: a.confirmed_on === null ? null : String(a.confirmed_on) })),
    };
    const detail = JSON.parse(String(r.detail));
    return r.kind === 'mismatch' ? { ...base, kind: 'mismatch', fields: detail.fields } : { ...base, kind: 'conflict', other: detail };
  };
  const all = items.rows.map(toItem);
  return {
    submission: { id: Number(s.id), createdAt: new Date(Number(s.created_at)), patientCount: Number(s.patient_count ?? 0), counted: Number(s.registry_counted) },
    mismatches: all.filter((i) => i.kind === 'mismatch'),
    conflicts: all.filter((i) => i.kind === 'conflict'),
  };
}

export type ActionResult =
  | { ok: true; patientName: string }
  | { ok: false; reason: 'not_found' | 'not_open' }
  | { ok: false; reason: 'invalid'; message: string };

/**
 * Records what the clinic did about an open item, audited with the patient in the same batch.
 * "The patient confirmed with us" records a new confirmation date for this panel; "removed from
 * our panel" takes the patient off it. Only an item of the panel's latest answer can be acted on.
 */
export async function recordFeedbackAction(db: Db, clock: Clock, scope: Scope, panelId: number, itemId: number,
  action: FeedbackAction, confirmedOn: string | null, audit: { route: string; requestId?: string }): Promise<ActionResult> {
  const feedback = await registryFeedback(db, panelId);
  const item = feedback && [...feedback.mismatches, ...feedback.conflicts].find((i) => i.id === itemId);
  if (!feedback) return { ok: false, reason: 'not_found' };
  if (!item) {
    const exists = await db.execute({ sql: 'SELECT 1 FROM registry_exceptions WHERE id = ? AND panel_id = ?', args: [itemId, panelId] });
    return { ok: false, reason: exists.rows.length ? 'not_open' : 'not_found' };
  }
  if (!item.patient) return { ok: false, reason: 'invalid', message: 'This patient is no longer in the clinical record.' };
  const today = edmontonDate(clock.now());
  if (action === 'confirmed' && (confirmedOn === null || confirmedOn > today)) {
    return { ok: false, reason: 'invalid', message: `Enter the date the patient confirmed, written YYYY-MM-DD, not after today (${today}).` };
  }
  const now = clock.now().getTime();
  const patient = item.patient;
  const change = action === 'confirmed'
    ? [{ sql: `UPDATE panel_members SET confirmed_on = ?, confirmed_by = ?, confirmation_recorded_at = ? WHERE panel_id = ? AND patient_id = ?`,
        args: [confirmedOn, scope.userId, now, panelId, patient.id] }]
    : action === 'removed'
      ? [{ sql: 'DELETE FROM panel_members WHERE panel_id = ? AND patient_id = ?', args: [panelId, patient.id] }]
      : [];
  await db.batch([
    ...change,
    {
      sql: `INSERT INTO registry_actions (panel_id, patient_id, kind, exception_id, action, confirmed_on, user_id, at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      args: [panelId, patient.id, item.kind, item.id, action, action === 'confirmed' ? confirmedOn : null, scope.userId, now],
    },
    ...auditStatements(clock, scope, {
      action: action === 'removed' ? 'delete' : 'edit', objectType: `registry_${item.kind}`, objectId: item.id,
      patientIds: [patient.id], ...audit,
    }),
  ], 'write');
  return { ok: true, patientName: patient.name };
}
