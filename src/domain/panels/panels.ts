import type { Db } from '../database/db.ts';
import { lineProblem } from './text.ts';
import type { Clock } from '../time/clock.ts';
import type { Scope } from '../people/permissions.ts';

/** Longest name the form stores; CPAR's own 255-character rule fails submissions, not saves. */
export const MAX_STORED_NAME_LENGTH = 1000;
export const MAX_PANEL_NUMBER_LENGTH = 50;

/** A line of the Panels page. */
export type PanelListItem = {
  id: number;
  name: string;
  panelNumber: string | null;
  cparEnabled: boolean;
  /** members whose patient status is active: the patients a submission would carry */
  patientCount: number;
  hasSubmissions: boolean;
};

/** What the add/edit form holds, as typed: a blank panel number means none. */
export type PanelInput = {
  name: string;
  practitionerIds: number[];
  panelNumber: string;
  cparEnabled: boolean;
  failureRecipientId: number | null;
};

export type PanelField = keyof PanelInput;
export type PanelErrors = Partial<Record<PanelField, string>>;

export type PanelChoices = {
  practitioners: { id: number; name: string; hasPractitionerId: boolean }[];
  /** canFix: the user has CII/CPAR settings, so a failure message can send them to fix the panel */
  recipients: { id: number; fullName: string; disabled: boolean; canFix: boolean }[];
};

export type PanelResult = { ok: true; id: number } | { ok: false; reason: 'invalid'; errors: PanelErrors } | { ok: false; reason: 'not_found' };
export type RemovalResult = { ok: true; name: string } | { ok: false; reason: 'not_found' } | { ok: false; reason: 'has_submissions'; name: string };

export const EMPTY_PANEL: PanelInput = { name: '', practitionerIds: [], panelNumber: '', cparEnabled: false, failureRecipientId: null };

const LIST_SQL = `
  SELECT p.id, p.name, p.panel_number, p.cpar_enabled, count(pt.id) AS patient_count,
         EXISTS (SELECT 1 FROM submissions s WHERE s.panel_id = p.id) AS has_submissions
    FROM panels p
    LEFT JOIN panel_members m ON m.panel_id = p.id
    LEFT JOIN patients pt ON pt.id = m.patient_id AND pt.status = 'active'
   WHERE p.active = ?
   GROUP BY p.id
   ORDER BY p.name COLLATE NOCASE, p.id`;

function toListItem(r: Record<string, unknown>): PanelListItem {
  return {
    id: Number(r.id),
    name: String(r.name),
    panelNumber: r.panel_number === null ? null : String(r.panel_number),
    cparEnabled: Number(r.cpar_enabled) === 1,
    patientCount: Number(r.patient_count),
    hasSubmissions: Number(r.has_submissions) === 1,
  };
}

/** Active panels alphabetically (case-insensitive), with their patient counts, in one query. */
export async function listActivePanels(db: Db): Promise<PanelListItem[]> {
  return (await db.execute({ sql: LIST_SQL, args: [1] })).rows.map(toListItem);
}

export async function listInactivePanels(db: Db): Promise<PanelListItem[]> {
  return (await db.execute({ sql: LIST_SQL, args: [0] })).rows.map(toListItem);
}

/** An active panel as the edit form shows it, or null. */
export async function getPanelForEdit(db: Db, panelId: number): Promise<{ id: number; values: PanelInput } | null> {
  const [panel, links] = await db.batch([
    { sql: 'SELECT name, panel_number, cpar_enabled, failure_recipient_id FROM panels WHERE id = ? AND active = 1', args: [panelId] },
    { sql: 'SELECT practitioner_id FROM panel_practitioners WHERE panel_id = ? ORDER BY practitioner_id', args: [panelId] },
  ], 'read');
  const r = panel.rows[0];
  if (!r) return null;
  return {
    id: panelId,
    values: {
      name: String(r.name),
      practitionerIds: links.rows.map((l) => Number(l.practitioner_id)),
      panelNumber: r.panel_number === null ? '' : String(r.panel_number),
      cparEnabled: Number(r.cpar_enabled) === 1,
      failureRecipientId: r.failure_recipient_id === null ? null : Number(r.failure_recipient_id),
    },
  };
}

/**
 * Every practitioner, and the users who can receive failure messages: enabled ones, plus
 * the panel's current recipient even if disabled, so editing something else keeps them.
 */
export async function listPanelChoices(db: Db, currentRecipientId: number | null): Promise<PanelChoices> {
  const [practitioners, users] = await db.batch([
    'SELECT id, name, practitioner_id FROM practitioners ORDER BY name COLLATE NOCASE, id',
    { sql: `SELECT id, full_name, disabled_at IS NOT NULL AS disabled,
                   EXISTS (SELECT 1 FROM user_permissions up WHERE up.user_id = users.id AND up.permission = 'cii_cpar_settings') AS can_fix
              FROM users
             WHERE disabled_at IS NULL OR id = ? ORDER BY full_name COLLATE NOCASE, id`, args: [currentRecipientId] },
  ], 'read');
  return {
    practitioners: practitioners.rows.map((p) => ({
      id: Number(p.id), name: String(p.name), hasPractitionerId: Boolean(String(p.practitioner_id ?? '').trim()),
    })),
    recipients: users.rows.map((u) => ({
      id: Number(u.id), fullName: String(u.full_name), disabled: Number(u.disabled) === 1, canFix: Number(u.can_fix) === 1,
    })),
  };
}

/** Characters as a person counts them (code points), not UTF-16 units or bytes. */
export function nameLength(name: string): number {
  return [...name.trim()].length;
}

/** The form's rules that need no database. */
export function checkPanelInput(input: PanelInput): PanelErrors {
  const errors: PanelErrors = {};
  const name = input.name.trim();
  const nameTrouble = lineProblem(input.name);
  const numberTrouble = lineProblem(input.panelNumber);
  if (name === '') errors.name = 'Enter the panel’s name.';
  else if (nameTrouble) errors.name = `The name ${nameTrouble}.`;
  else if (nameLength(name) > MAX_STORED_NAME_LENGTH) errors.name = `The name cannot be longer than ${MAX_STORED_NAME_LENGTH} characters.`;
  if (input.practitionerIds.length === 0) errors.practitionerIds = 'Choose at least one practitioner.';
  else if (!input.practitionerIds.every((id) => Number.isSafeInteger(id) && id > 0)) errors.practitionerIds = 'Choose practitioners from the list.';
  const number = input.panelNumber.trim();
  if (numberTrouble) errors.panelNumber = `The panel number ${numberTrouble}.`;
  else if ([...number].length > MAX_PANEL_NUMBER_LENGTH) errors.panelNumber = `A panel number cannot be longer than ${MAX_PANEL_NUMBER_LENGTH} characters.`;
  if (input.cparEnabled && number === '') {
    errors.cparEnabled = 'A CPAR-enabled panel needs its CPAR panel number: enter the number CPAR issued, or leave CPAR off.';
  }
  const recipient = input.failureRecipientId;
  if (recipient !== null && !(Number.isSafeInteger(recipient) && recipient > 0)) errors.failureRecipientId = 'Choose a recipient from the list.';
  return errors;
}

/** The rules that need the records: practitioners and recipient exist, the number is free. */
async function checkAgainstRecords(db: Db, input: PanelInput, panelId: number | null): Promise<PanelErrors> {
  const ids = [...new Set(input.practitionerIds)];
  const number = input.panelNumber.trim();
  const [practitioners, recipient, holder] = await db.batch([
    { sql: 'SELECT count(*) AS n FROM practitioners WHERE id IN (SELECT value FROM json_each(?))', args: [JSON.stringify(ids)] },
    { sql: `SELECT 1 FROM users WHERE id = ?
              AND (disabled_at IS NULL OR id = (SELECT failure_recipient_id FROM panels WHERE id = ?))`,
      args: [input.failureRecipientId, panelId] },
    { sql: 'SELECT name, active FROM panels WHERE panel_number = ? AND id IS NOT ?', args: [number, panelId] },
  ], 'read');
  const errors: PanelErrors = {};
  if (Number(practitioners.rows[0].n) !== ids.length) errors.practitionerIds = 'One of the chosen practitioners no longer exists: choose again.';
  if (input.failureRecipientId !== null && !recipient.rows[0]) errors.failureRecipientId = 'That user cannot receive failure messages: choose another recipient.';
  const other = holder.rows[0];
  if (number !== '' && other) errors.panelNumber = takenMessage(number, String(other.name), Number(other.active) === 1);
  return errors;
}

function takenMessage(number: string, holder: string, active: boolean): string {
  return `Panel number ${number} is already used by the panel “${holder}”${active ? '' : ' (inactive)'}. Each panel number belongs to one panel.`;
}

async function check(db: Db, input: PanelInput, panelId: number | null): Promise<PanelErrors | null> {
  const errors = checkPanelInput(input);
  if (Object.keys(errors).length) return errors;
  const recordErrors = await checkAgainstRecords(db, input, panelId);
  return Object.keys(recordErrors).length ? recordErrors : null;
}

/** A race lost to another save of the same number is reported like a taken number. */
function numberRace(error: unknown, input: PanelInput): PanelResult {
  if (String(error).includes('panels.panel_number')) {
    return { ok: false, reason: 'invalid', errors: { panelNumber: `Panel number ${input.panelNumber.trim()} is already used by another panel.` } };
  }
  throw error;
}

function columns(input: PanelInput) {
  const number = input.panelNumber.trim();
  return [input.name.trim(), number === '' ? null : number, input.cparEnabled ? 1 : 0, input.failureRecipientId];
}

/** Adds a panel and its practitioners together. */
export async function createPanel(db: Db, clock: Clock, _scope: Scope, input: PanelInput): Promise<PanelResult> {
  const errors = await check(db, input, null);
  if (errors) return { ok: false, reason: 'invalid', errors };
  try {
    const [panel] = await db.batch([
      { sql: `INSERT INTO panels (name, panel_number, cpar_enabled, failure_recipient_id, created_at)
              VALUES (?, ?, ?, ?, ?) RETURNING id`, args: [...columns(input), clock.now().getTime()] },
      // panel_practitioners has no rowid, so last_insert_rowid() is still the panel's id.
      { sql: 'INSERT INTO panel_practitioners (panel_id, practitioner_id) SELECT DISTINCT last_insert_rowid(), value FROM json_each(?)',
        args: [JSON.stringify(input.practitionerIds)] },
    ], 'write');
    return { ok: true, id: Number(panel.rows[0].id) };
  } catch (error) {
    return numberRace(error, input);
  }
}

/**
 * Changes an active panel. New practitioner links are inserted before removed ones are
 * deleted: the database refuses a panel left without any practitioner, even for a moment.
 */
export async function updatePanel(db: Db, _scope: Scope, panelId: number, input: PanelInput): Promise<PanelResult> {
  const errors = await check(db, input, panelId);
  if (errors) return { ok: false, reason: 'invalid', errors };
  const ids = JSON.stringify(input.practitionerIds);
  try {
    const [updated] = await db.batch([
      { sql: `UPDATE panels SET name = ?, panel_number = ?, cpar_enabled = ?, failure_recipient_id = ?
               WHERE id = ? AND active = 1`, args: [...columns(input), panelId] },
      { sql: `INSERT INTO panel_practitioners (panel_id, practitioner_id)
              SELECT DISTINCT p.id, j.value FROM panels p, json_each(?) j WHERE p.id = ? AND p.active = 1
              ON CONFLICT DO NOTHING`, args: [ids, panelId] },
      { sql: `DELETE FROM panel_practitioners WHERE panel_id = ? AND practitioner_id NOT IN (SELECT value FROM json_each(?))
                AND EXISTS (SELECT 1 FROM panels WHERE id = ? AND active = 1)`, args: [panelId, ids, panelId] },
    ], 'write');
    return updated.rowsAffected === 1 ? { ok: true, id: panelId } : { ok: false, reason: 'not_found' };
  } catch (error) {
    return numberRace(error, input);
  }
}

/** Takes a panel out of the Panels and Submissions pages and the monthly run; its data stays. */
export async function deactivatePanel(db: Db, _scope: Scope, panelId: number): Promise<RemovalResult> {
  const result = await db.execute({ sql: 'UPDATE panels SET active = 0 WHERE id = ? AND active = 1 RETURNING name', args: [panelId] });
  return result.rows[0] ? { ok: true, name: String(result.rows[0].name) } : { ok: false, reason: 'not_found' };
}

export async function reactivatePanel(db: Db, _scope: Scope, panelId: number): Promise<RemovalResult> {
  const result = await db.execute({ sql: 'UPDATE panels SET active = 1 WHERE id = ? AND active = 0 RETURNING name', args: [panelId] });
  return result.rows[0] ? { ok: true, name: String(result.rows[0].name) } : { ok: false, reason: 'not_found' };
}

/**
 * Deletes a panel that was never submitted, with its practitioner links and memberships.
 * One with submissions keeps its history: it can only be deactivated.
 */
export async function deletePanel(db: Db, _scope: Scope, panelId: number): Promise<RemovalResult> {
  const [deleted, found] = await db.batch([
    { sql: `DELETE FROM panels WHERE id = ? AND NOT EXISTS (SELECT 1 FROM submissions WHERE panel_id = ?) RETURNING name`,
      args: [panelId, panelId] },
    { sql: 'SELECT name FROM panels WHERE id = ?', args: [panelId] },
  ], 'write');
  if (deleted.rows[0]) return { ok: true, name: String(deleted.rows[0].name) };
  const kept = found.rows[0];
  return kept ? { ok: false, reason: 'has_submissions', name: String(kept.name) } : { ok: false, reason: 'not_found' };
}
