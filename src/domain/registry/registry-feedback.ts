// The registry's answer to a panel, as the clinic works it: the mismatches and conflicts its
// latest counted submission reported, since when each has been open, and what the clinic did
// about each. An item is resolved when a later submission no longer reports it — the clinic's
// actions record what was done, never that the registry agreed.
import type { Db } from '../database/db.ts';
import type { Clock } from '../time/clock.ts';
import type { Scope } from '../people/permissions.ts';
import { auditStatements } from '../audit/audit.ts';
import { edmontonDate } from '../time/edmonton.ts';
import { openExceptions, type ConflictDetail, type MismatchDetail } from './registry.ts';

export type { MismatchDetail, ConflictDetail } from './registry.ts';
export type MismatchField = MismatchDetail['fields'][number];

export const FEEDBACK_ACTIONS = ['contacted', 'confirmed', 'removed', 'corrected'] as const;
export type FeedbackAction = (typeof FEEDBACK_ACTIONS)[number];

export function isFeedbackAction(value: unknown): value is FeedbackAction {
  return typeof value === 'string' && (FEEDBACK_ACTIONS as readonly string[]).includes(value);
}

export type ActionTaken = { action: FeedbackAction; at: Date; by: string; confirmedOn: string | null };

type ItemBase = {
  id: number;
  /** the patient with the ULI the registry named; null when no patient in the clinical record has it now */
  patient: { id: number; name: string; uli: string } | null;
  /** the ULI the registry named */
  uli: string | null;
  openSince: { submissionId: number; createdAt: Date };
  /** what the clinic recorded about this item since it opened, oldest first */
  actions: ActionTaken[];
};
export type FeedbackItem =
  | (ItemBase & { kind: 'mismatch'; fields: MismatchField[] })
  | (ItemBase & { kind: 'conflict'; other: ConflictDetail });

export type RegistryFeedback = null | {
  submission: { id: number; submittedAt: Date; patientCount: number; counted: number };
  mismatches: FeedbackItem[];
  conflicts: FeedbackItem[];
};

/** The panel's open items (its latest counted submission's), each with what the clinic recorded about it. */
export async function registryFeedback(db: Db, panelId: number): Promise<RegistryFeedback> {
  const view = await openExceptions(db, panelId);
  if (!view) return null;
  const actions = (await db.execute({
    sql: `SELECT a.patient_id, a.kind, a.action, a.at, a.confirmed_on, u.full_name
            FROM registry_actions a JOIN users u ON u.id = a.user_id
           WHERE a.panel_id = ? ORDER BY a.at, a.id`,
    args: [panelId],
  })).rows;
  const items: FeedbackItem[] = view.items.map((item) => {
    const base: ItemBase = {
      id: item.id,
      patient: item.patient && { id: item.patient.id, name: `${item.patient.lastName}, ${item.patient.firstName}`, uli: item.patient.uli },
      uli: item.uli,
      openSince: item.openSince,
      // Actions on this patient and kind since the item opened: an older one belongs to an earlier episode.
      actions: actions
        .filter((a) => Number(a.patient_id) === item.patient?.id && a.kind === item.kind && Number(a.at) >= item.openSince.createdAt.getTime())
        .map((a) => ({ action: a.action as FeedbackAction, at: new Date(Number(a.at)), by: String(a.full_name),
          confirmedOn: a.confirmed_on === null ? null : String(a.confirmed_on) })),
    };
    return item.kind === 'mismatch' ? { ...base, kind: 'mismatch', fields: item.detail.fields } : { ...base, kind: 'conflict', other: item.detail };
  });
  return {
    submission: { id: view.submissionId, submittedAt: view.submittedAt, patientCount: view.patientCount, counted: view.counted },
    mismatches: items.filter((i) => i.kind === 'mismatch'),
    conflicts: items.filter((i) => i.kind === 'conflict'),
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
  if (!item.patient) return { ok: false, reason: 'invalid', message: 'No patient in the clinical record has the ULI the registry named.' };
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
