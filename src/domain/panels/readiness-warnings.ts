// Readiness's warnings: what the registry will likely hold against a panel, found before it
// does. Unlike the rules they never fail a submission; they are shown beside them, with
// counts and a link to the patients.
import type { Db } from '../database/db.ts';
import type { Clock } from '../time/clock.ts';
import type { Scope } from '../people/permissions.ts';
import { auditStatements } from '../audit/audit.ts';
import { edmontonDate } from '../time/edmonton.ts';

export const WARNING_KINDS = ['on_other_panel', 'stale_visit', 'stale_confirmation'] as const;
export type WarningKind = (typeof WARNING_KINDS)[number];
export type ReadinessWarning = { kind: WarningKind; message: string; count: number };

export function isWarningKind(value: unknown): value is WarningKind {
  return typeof value === 'string' && (WARNING_KINDS as readonly string[]).includes(value);
}

/** The counts readiness stores for a panel's active members, and the limits they used. */
export type WarningCounts = {
  onOtherPanel: number; staleVisit: number; staleConfirmation: number;
  staleVisitYears: number; staleConfirmationYears: number;
};

const patients = (n: number) => (n === 1 ? '1 patient' : `${n} patients`);
const years = (n: number) => (n === 1 ? '1 year' : `${n} years`);

export function warningsOf(c: WarningCounts): ReadinessWarning[] {
  const warnings: ReadinessWarning[] = [];
  if (c.onOtherPanel) {
    warnings.push({ kind: 'on_other_panel', count: c.onOtherPanel,
      message: `${patients(c.onOtherPanel)} ${c.onOtherPanel === 1 ? 'is' : 'are'} also on another CPAR panel of this clinic: the registry will report ${c.onOtherPanel === 1 ? 'it' : 'them'} as a conflict.` });
  }
  if (c.staleVisit) {
    warnings.push({ kind: 'stale_visit', count: c.staleVisit,
      message: `${patients(c.staleVisit)} last visited over ${years(c.staleVisitYears)} ago: check ${c.staleVisit === 1 ? 'the patient is' : 'they are'} still attached.` });
  }
  if (c.staleConfirmation) {
    warnings.push({ kind: 'stale_confirmation', count: c.staleConfirmation,
      message: `${patients(c.staleConfirmation)} confirmed their attachment over ${years(c.staleConfirmationYears)} ago: confirm it again.` });
  }
  return warnings;
}

/**
 * Per active member of panel `m.panel_id`, as of day ?1: each warning as an SQL condition.
 * The limits come from clinic_settings; a last visit or confirmation before the day minus
 * that many years is stale. A member with no visit at all fails a rule instead.
 */
/** Member `m`'s last visit up to day ?1 (one index seek), as extraction reads it. */
export const LAST_VISIT = `(SELECT v.visit_date FROM visits v WHERE v.patient_id = m.patient_id AND v.visit_date <= ?1
                             ORDER BY v.visit_date DESC LIMIT 1)`;

export const WARNING_CONDITIONS: Record<WarningKind, string> = {
  on_other_panel: `EXISTS (SELECT 1 FROM panel_members o JOIN panels op ON op.id = o.panel_id AND op.active = 1 AND op.cpar_enabled = 1
                            WHERE o.patient_id = m.patient_id AND o.panel_id <> m.panel_id)`,
  stale_visit: `${LAST_VISIT} < date(?1, '-' || (SELECT stale_visit_years FROM clinic_settings) || ' years')`,
  stale_confirmation: `m.confirmed_on < date(?1, '-' || (SELECT stale_confirmation_years FROM clinic_settings) || ' years')`,
};

/** One panel's warnings as of the Edmonton day of `at`: the members page's, counted afresh. */
export async function panelWarnings(db: Db, panelId: number, at: Date): Promise<ReadinessWarning[]> {
  const r = (await db.execute({
    sql: `SELECT count(*) FILTER (WHERE ${WARNING_CONDITIONS.on_other_panel}) AS on_other_panel,
                 count(*) FILTER (WHERE ${WARNING_CONDITIONS.stale_visit}) AS stale_visit,
                 count(*) FILTER (WHERE ${WARNING_CONDITIONS.stale_confirmation}) AS stale_confirmation,
                 (SELECT stale_visit_years FROM clinic_settings) AS visit_years,
                 (SELECT stale_confirmation_years FROM clinic_settings) AS confirmation_years
            FROM panel_members m JOIN patients pt ON pt.id = m.patient_id AND pt.status = 'active'
           WHERE m.panel_id = ?2`,
    args: [edmontonDate(at), panelId],
  })).rows[0];
  return warningsOf({
    onOtherPanel: Number(r.on_other_panel), staleVisit: Number(r.stale_visit), staleConfirmation: Number(r.stale_confirmation),
    staleVisitYears: Number(r.visit_years), staleConfirmationYears: Number(r.confirmation_years),
  });
}

/** The active members of a panel a warning names, as of an Edmonton day. */
export async function warnedPatientIds(db: Db, panelId: number, kind: WarningKind, day: string): Promise<number[]> {
  const result = await db.execute({
    sql: `SELECT m.patient_id FROM panel_members m JOIN patients pt ON pt.id = m.patient_id AND pt.status = 'active'
           WHERE m.panel_id = ?2 AND ${WARNING_CONDITIONS[kind]}`,
    args: [day, panelId],
  });
  return result.rows.map((r) => Number(r.patient_id));
}

export type ClinicSettings = { staleVisitYears: number; staleConfirmationYears: number };
export const SETTING_YEARS = { min: 1, max: 20 } as const;

export async function getClinicSettings(db: Db): Promise<ClinicSettings> {
  const r = (await db.execute('SELECT stale_visit_years, stale_confirmation_years FROM clinic_settings WHERE id = 1')).rows[0];
  return { staleVisitYears: Number(r.stale_visit_years), staleConfirmationYears: Number(r.stale_confirmation_years) };
}

export type SettingsProblem = { field: keyof ClinicSettings; message: string };

/** Whole years from 1 to 20, written as digits; anything else is refused with the reason. */
export function parseClinicSettings(form: Record<string, unknown>): { ok: true; settings: ClinicSettings } | { ok: false; problems: SettingsProblem[] } {
  const problems: SettingsProblem[] = [];
  const read = (field: keyof ClinicSettings, label: string): number => {
    const value = typeof form[field] === 'string' ? (form[field] as string).trim() : '';
    const n = /^\d{1,2}$/.test(value) ? Number(value) : NaN;
    if (!(n >= SETTING_YEARS.min && n <= SETTING_YEARS.max)) {
      problems.push({ field, message: `${label} must be a whole number of years from ${SETTING_YEARS.min} to ${SETTING_YEARS.max}.` });
    }
    return n;
  };
  const settings = { staleVisitYears: read('staleVisitYears', 'Last visit age'),
    staleConfirmationYears: read('staleConfirmationYears', 'Confirmation age') };
  return problems.length ? { ok: false, problems } : { ok: true, settings };
}

/** Saves the limits and audits the change in the same batch. Returns whether anything changed. */
export async function saveClinicSettings(db: Db, clock: Clock, scope: Scope, settings: ClinicSettings,
  audit: { route: string; requestId?: string }): Promise<boolean> {
  const before = await getClinicSettings(db);
  if (before.staleVisitYears === settings.staleVisitYears && before.staleConfirmationYears === settings.staleConfirmationYears) return false;
  await db.batch([
    {
      sql: 'UPDATE clinic_settings SET stale_visit_years = ?, stale_confirmation_years = ?, updated_at = ?, updated_by = ? WHERE id = 1',
      args: [settings.staleVisitYears, settings.staleConfirmationYears, clock.now().getTime(), scope.userId],
    },
    ...auditStatements(clock, scope, { action: 'edit', objectType: 'clinic_settings', objectId: 1, ...audit }),
  ], 'write');
  return true;
}
