// Bulk changes to a panel's members — filling missing confirmation dates, replacing existing
// ones, removing members — each kept with the rows as they were, so that it can be undone
// exactly from the page that reports it. A confirmation date is a fact (the day the patient
// confirmed the attachment), so nothing here overwrites one without being asked to.
import type { Db } from '../database/db.ts';
import type { Clock } from '../time/clock.ts';
import type { Scope } from '../people/permissions.ts';
import { edmontonInstant, edmontonParts } from '../time/edmonton.ts';

export type ChangeKind = 'confirm' | 'reconfirm' | 'remove';

export type MemberChange = {
  id: number; panelId: number; kind: ChangeKind; confirmedOn: string | null;
  /** the members changed, and how many were selected (the others were left as they were) */
  patientCount: number; selectedCount: number;
  madeAt: Date; undoUntil: Date; undoneAt: Date | null;
};

/** A selected member as the database has them now. */
export type Selected = { patientId: number; uli: string; name: string; birthDate: string; confirmedOn: string | null };

/** The members of the panel among the ids, by name; ids not on the panel are left out. */
export async function selectedMembers(db: Db, panelId: number, patientIds: number[]): Promise<Selected[]> {
  const rows = await db.execute({
    sql: `SELECT pt.id, pt.uli, pt.last_name, pt.first_name, pt.birth_date, m.confirmed_on
            FROM panel_members m JOIN patients pt ON pt.id = m.patient_id
           WHERE m.panel_id = ? AND m.patient_id IN (SELECT value FROM json_each(?))
           ORDER BY pt.last_name COLLATE NOCASE, pt.first_name COLLATE NOCASE, pt.id`,
    args: [panelId, JSON.stringify([...new Set(patientIds)])],
  });
  return rows.rows.map((r) => ({
    patientId: Number(r.id), uli: String(r.uli), name: `${r.last_name}, ${r.first_name}`, birthDate: String(r.birth_date),
    confirmedOn: r.confirmed_on === null ? null : String(r.confirmed_on),
  }));
}

/** A confirmation cannot predate the patient: how many of the selection were born after the date. */
export function bornAfter(selected: Selected[], date: string): number {
  return selected.filter((s) => s.birthDate > date).length;
}

/** An undo lasts until midnight (Edmonton) after the change: the rest of the working day. */
function endOfDay(at: number): number {
  const { year, month, day } = edmontonParts(new Date(at));
  return edmontonInstant(year, month, day + 1).getTime();
}

/** `patientIds`: the members the change touched, for the audit trail */
export type ChangeResult = { change: MemberChange | null; changed: number; patientIds: number[] };

/**
 * Records a change and applies it in one write batch: the rows as they were, then the change
 * itself. In each statement ?1 is the panel, ?2 the JSON list of ids and ?3 the date set (null
 * for a removal); `target` chooses, among the selected rows, those the change touches. Nothing
 * is recorded when it touches none.
 */
async function applyChange(db: Db, clock: Clock, scope: Scope, panelId: number, kind: ChangeKind, ids: number[],
  date: string | null, target: string, apply: string): Promise<ChangeResult> {
  const now = clock.now().getTime();
  const list = JSON.stringify([...new Set(ids)]);
  const rows = `FROM panel_members WHERE panel_id = ?1 AND patient_id IN (SELECT value FROM json_each(?2)) AND ${target}`;
  const [recorded, , applied] = await db.batch([
    {
      sql: `INSERT INTO member_changes (panel_id, kind, confirmed_on, user_id, made_at, undo_until, selected_count)
            SELECT ?1, ?4, ?3, ?5, ?6, ?7, (SELECT count(*) FROM panel_members WHERE panel_id = ?1 AND patient_id IN (SELECT value FROM json_each(?2)))
             WHERE EXISTS (SELECT 1 ${rows}) RETURNING id`,
      args: [panelId, list, date, kind, scope.userId, now, endOfDay(now)],
    },
    {
      // Empty when the change was not recorded (it touches no row), so the stale rowid is never used.
      sql: `INSERT INTO member_change_rows (change_id, patient_id, confirmed_on, confirmed_by, confirmation_recorded_at)
            SELECT last_insert_rowid(), patient_id, confirmed_on, confirmed_by, confirmation_recorded_at ${rows}`,
      args: [panelId, list, date],
    },
    { sql: `${apply} WHERE panel_id = ?1 AND patient_id IN (SELECT value FROM json_each(?2)) AND ${target} RETURNING patient_id`,
      args: [panelId, list, date, scope.fullName, now] },
  ], 'write');
  const id = recorded.rows[0]?.id;
  // RETURNING rows, not rowsAffected: the driver reports 0 affected for a statement that returns rows.
  return { changed: applied.rows.length, patientIds: applied.rows.map((r) => Number(r.patient_id)), change: id === undefined ? null : await getChange(db, panelId, Number(id)) };
}

const SET_DATE = 'UPDATE panel_members SET confirmed_on = ?3, confirmed_by = ?4, confirmation_recorded_at = ?5';

/** Fills the confirmation date of the selected members who have none; existing dates are kept. */
export function confirmMissing(db: Db, clock: Clock, scope: Scope, panelId: number, ids: number[], date: string) {
  return applyChange(db, clock, scope, panelId, 'confirm', ids, date, 'confirmed_on IS NULL', SET_DATE);
}

/** Sets the selected members' confirmation date, replacing existing ones (the user was shown which). */
export function replaceConfirmations(db: Db, clock: Clock, scope: Scope, panelId: number, ids: number[], date: string) {
  return applyChange(db, clock, scope, panelId, 'reconfirm', ids, date, 'confirmed_on IS NOT ?3', SET_DATE);
}

/** Takes the selected members off the panel (the patients stay), keeping what undo needs. */
export function removeMembers(db: Db, clock: Clock, scope: Scope, panelId: number, ids: number[]) {
  return applyChange(db, clock, scope, panelId, 'remove', ids, null, '1', 'DELETE FROM panel_members');
}

export async function getChange(db: Db, panelId: number, changeId: number): Promise<MemberChange | null> {
  const r = (await db.execute({
    sql: `SELECT c.*, (SELECT count(*) FROM member_change_rows WHERE change_id = c.id) AS patient_count
            FROM member_changes c WHERE c.id = ? AND c.panel_id = ?`,
    args: [changeId, panelId],
  })).rows[0];
  if (!r) return null;
  return {
    id: Number(r.id), panelId: Number(r.panel_id), kind: r.kind as ChangeKind,
    confirmedOn: r.confirmed_on === null ? null : String(r.confirmed_on),
    patientCount: Number(r.patient_count), selectedCount: Number(r.selected_count),
    madeAt: new Date(Number(r.made_at)), undoUntil: new Date(Number(r.undo_until)),
    undoneAt: r.undone_at === null ? null : new Date(Number(r.undone_at)),
  };
}

/** Whether the page still offers Undo for a change. */
export function undoable(change: MemberChange, now: Date): boolean {
  return change.undoneAt === null && now.getTime() < change.undoUntil.getTime();
}

export type UndoResult =
  | { ok: true; change: MemberChange; restored: number; changedSince: number; restoredIds: number[] }
  | { ok: false; reason: 'not_found' | 'expired' | 'already_undone'; change?: MemberChange };

/**
 * Puts every row of a change back exactly as it was. A row changed again since (another date
 * recorded, the patient added back) is left as it is and counted, never overwritten.
 */
export async function undoChange(db: Db, clock: Clock, panelId: number, changeId: number): Promise<UndoResult> {
  const change = await getChange(db, panelId, changeId);
  if (!change) return { ok: false, reason: 'not_found' };
  if (change.undoneAt) return { ok: false, reason: 'already_undone', change };
  const now = clock.now().getTime();
  if (now >= change.undoUntil.getTime()) return { ok: false, reason: 'expired', change };
  const token = crypto.randomUUID();
  // Only the undo whose token was written restores: two clicks restore once.
  const won = 'EXISTS (SELECT 1 FROM member_changes WHERE id = ?2 AND undo_token = ?3)';
  const restore = change.kind === 'remove'
    ? `INSERT INTO panel_members (panel_id, patient_id, confirmed_on, confirmed_by, confirmation_recorded_at)
       SELECT ?1, r.patient_id, r.confirmed_on, r.confirmed_by, r.confirmation_recorded_at
         FROM member_change_rows r JOIN patients pt ON pt.id = r.patient_id
        WHERE r.change_id = ?2 AND ${won}
       ON CONFLICT DO NOTHING RETURNING patient_id`
    // Only rows that still hold what this change wrote: its date, recorded at its instant.
    : `UPDATE panel_members AS m SET confirmed_on = r.confirmed_on, confirmed_by = r.confirmed_by,
              confirmation_recorded_at = r.confirmation_recorded_at
         FROM member_change_rows r
        WHERE r.change_id = ?2 AND m.panel_id = ?1 AND m.patient_id = r.patient_id AND ${won}
          AND m.confirmed_on IS ?4 AND m.confirmation_recorded_at IS ?5
       RETURNING patient_id`;
  const [marked, restored] = await db.batch([
    { sql: 'UPDATE member_changes SET undone_at = ?, undo_token = ? WHERE id = ? AND undone_at IS NULL', args: [now, token, changeId] },
    { sql: restore, args: [panelId, changeId, token, change.confirmedOn, change.madeAt.getTime()] },
  ], 'write');
  if (marked.rowsAffected === 0) return { ok: false, reason: 'already_undone', change };
  return {
    ok: true, change: { ...change, undoneAt: new Date(now) },
    restored: restored.rows.length, restoredIds: restored.rows.map((r) => Number(r.patient_id)), changedSince: change.patientCount - restored.rows.length,
  };
}
