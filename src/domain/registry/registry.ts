// The registry's answer as the pages read it: how many patients a Submitted submission had
// counted, and each mismatch or conflict with its patient and since when it has been open.
// Stored by the poll (registry-store.ts); the pages build worklists and actions on these.
import type { Db } from '../database/db.ts';

export type MismatchDetail = { fields: { field: 'lastName' | 'firstName' | 'birthDate' | 'gender'; clinic: string; registry: string }[] };
export type ConflictDetail = { provider: string; clinic: string; confirmedOn: string };

export type RegistryItem = {
  id: number;
  /** the patient with the ULI the registry named; null when no patient in the portal has it now */
  patient: { id: number; lastName: string; firstName: string; uli: string } | null;
  /** the ULI the registry named (null only for an exception stored before ULIs were kept whose patient was deleted) */
  uli: string | null;
} & ({ kind: 'mismatch'; detail: MismatchDetail } | { kind: 'conflict'; detail: ConflictDetail }) & {
  /** the first submission of the unbroken run of outcomes that reported it ("open since March") */
  openSince: { submissionId: number; createdAt: Date };
};

export type RegistryOutcomeView = {
  submissionId: number;
  panelId: number;
  submittedAt: Date;
  patientCount: number;
  counted: number;
  /** mismatches first, then conflicts; each by patient name */
  items: RegistryItem[];
};

/** A submission's registry outcome; null until it has one (not Submitted, or confirmed before the registry answered). */
export async function registryOutcome(db: Db, submissionId: number): Promise<RegistryOutcomeView | null> {
  const row = (await db.execute({
    sql: `SELECT id, panel_id, submitted_at, patient_count, registry_counted FROM submissions
           WHERE id = ? AND status = 'Submitted' AND registry_counted IS NOT NULL`,
    args: [submissionId],
  })).rows[0];
  if (!row) return null;
  const items = await db.execute({
    sql: `SELECT e.id, e.kind, e.detail, e.open_since_submission_id, o.created_at AS open_since_at, e.uli,
                 pt.id AS patient_id, pt.last_name, pt.first_name
            FROM registry_exceptions e
            JOIN submissions o ON o.id = e.open_since_submission_id
            LEFT JOIN patients pt ON pt.uli = e.uli
           WHERE e.submission_id = ?
           ORDER BY e.kind DESC, pt.last_name COLLATE NOCASE, pt.first_name COLLATE NOCASE, e.id`,
    args: [submissionId],
  });
  return {
    submissionId: Number(row.id),
    panelId: Number(row.panel_id),
    submittedAt: new Date(Number(row.submitted_at)),
    patientCount: Number(row.patient_count),
    counted: Number(row.registry_counted),
    items: items.rows.map(toItem),
  };
}

/** The exceptions open now for a panel: those of its latest Submitted submission with an outcome. */
export async function openExceptions(db: Db, panelId: number): Promise<RegistryOutcomeView | null> {
  const latest = (await db.execute({
    sql: `SELECT max(id) AS id FROM submissions WHERE panel_id = ? AND status = 'Submitted' AND registry_counted IS NOT NULL`,
    args: [panelId],
  })).rows[0];
  return latest?.id === null || latest === undefined ? null : registryOutcome(db, Number(latest.id));
}

function toItem(r: Record<string, unknown>): RegistryItem {
  const base = {
    id: Number(r.id),
    uli: r.uli === null ? null : String(r.uli),
    patient: r.patient_id === null ? null
      : { id: Number(r.patient_id), lastName: String(r.last_name), firstName: String(r.first_name), uli: String(r.uli) },
    openSince: { submissionId: Number(r.open_since_submission_id), createdAt: new Date(Number(r.open_since_at)) },
  };
  const detail: unknown = JSON.parse(String(r.detail));
  return r.kind === 'mismatch'
    ? { ...base, kind: 'mismatch', detail: detail as MismatchDetail }
    : { ...base, kind: 'conflict', detail: detail as ConflictDetail };
}
