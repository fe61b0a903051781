import type { Db } from '../database/db.ts';
import type { Scope } from '../people/permissions.ts';

/**
 * Alberta Practitioner IDs are numeric. The exact length is not published, so the check is
 * deliberately loose — 5 to 9 digits (the clinic's IDs are 6) — to catch letters, spaces
 * and stray characters without refusing a real ID.
 */
export const PRACTITIONER_ID = /^[0-9]{5,9}$/;

export type PanelRef = { id: number; name: string; active: boolean; cparEnabled: boolean };

export type PractitionerItem = {
  id: number;
  name: string;
  practitionerId: string | null;
  panels: PanelRef[];
};

export type PractitionerResult =
  | { ok: true; practitioner: PractitionerItem }
  | { ok: false; reason: 'invalid'; error: string }
  | { ok: false; reason: 'not_found' };

const SQL = `
  SELECT pr.id, pr.name, pr.practitioner_id,
         json_group_array(json_object('id', p.id, 'name', p.name, 'active', p.active, 'cpar', p.cpar_enabled))
           FILTER (WHERE p.id IS NOT NULL) AS panels
    FROM practitioners pr
    LEFT JOIN panel_practitioners pp ON pp.practitioner_id = pr.id
    LEFT JOIN panels p ON p.id = pp.panel_id`;

function toItem(r: Record<string, unknown>): PractitionerItem {
  const panels = JSON.parse(String(r.panels ?? '[]')) as { id: number; name: string; active: number; cpar: number }[];
  return {
    id: Number(r.id),
    name: String(r.name),
    practitionerId: r.practitioner_id === null ? null : String(r.practitioner_id),
    panels: panels
      .map((p) => ({ id: p.id, name: p.name, active: p.active === 1, cparEnabled: p.cpar === 1 }))
      .sort((a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name, 'en-CA', { sensitivity: 'base' })),
  };
}

/** Every practitioner with the panels they are on, in one query. */
export async function listPractitioners(db: Db): Promise<PractitionerItem[]> {
  const result = await db.execute(`${SQL} GROUP BY pr.id ORDER BY pr.name COLLATE NOCASE, pr.id`);
  return result.rows.map(toItem);
}

export async function getPractitioner(db: Db, id: number): Promise<PractitionerItem | null> {
  const result = await db.execute({ sql: `${SQL} WHERE pr.id = ? GROUP BY pr.id`, args: [id] });
  return result.rows[0] ? toItem(result.rows[0]) : null;
}

/** What is wrong with a Practitioner ID as typed, or null; blank is allowed (no ID yet). */
export function checkPractitionerId(value: string): string | null {
  const id = value.trim();
  if (id === '' || PRACTITIONER_ID.test(id)) return null;
  return 'A Practitioner ID is 5 to 9 digits, with no letters, spaces or dashes.';
}

/** Kept IDs that predate the check (imports) are flagged on the list, not refused. */
export function isWellFormed(practitionerId: string | null): boolean {
  return practitionerId !== null && PRACTITIONER_ID.test(practitionerId);
}

/** Records a practitioner's ID; blank stores none, and every panel with them will then fail. */
export async function setPractitionerId(db: Db, _scope: Scope, id: number, value: string): Promise<PractitionerResult> {
  const error = checkPractitionerId(value);
  if (error) return { ok: false, reason: 'invalid', error };
  const trimmed = value.trim();
  const updated = await db.execute({
    sql: 'UPDATE practitioners SET practitioner_id = ? WHERE id = ?',
    args: [trimmed === '' ? null : trimmed, id],
  });
  const practitioner = updated.rowsAffected ? await getPractitioner(db, id) : null;
  return practitioner ? { ok: true, practitioner } : { ok: false, reason: 'not_found' };
}
