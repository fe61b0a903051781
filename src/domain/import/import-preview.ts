// What an import would change, before anything is written: the file checked exactly as the
// import checks it, then compared with the database — panels new or changed, members added
// and removed, confirmation dates changed, patients new or with changed demographics — as
// counts and the first rows of each.
import type { Db } from '../database/db.ts';
import type { Clock } from '../time/clock.ts';
import { edmontonDate } from '../time/edmonton.ts';
import { checkImport, readExisting, type ClinicalRecord, type ImportOptions, type Problem } from './import.ts';

export const PREVIEW_ROWS = 5;

export type Section<T> = { count: number; first: T[] };
export type MemberRow = { panel: string; patient: string };
export type ConfirmationRow = MemberRow & { from: string | null; to: string | null };
export type DemographicsRow = { patient: string; fields: string[] };

export type ImportPreview = {
  panels: Section<{ name: string; change: 'new' | 'changed' }>;
  patients: Section<{ patient: string }>;
  membersAdded: Section<MemberRow>;
  membersRemoved: Section<MemberRow>;
  confirmations: Section<ConfirmationRow>;
  demographics: Section<DemographicsRow>;
  practitioners: { created: number; changed: number };
  visits: number;
  warnings: Problem[];
  /** the patients the import would write or take off a panel, by key (file patients) or id: what its audit entry names */
  touched: { keys: string[]; ids: number[] };
};

function section<T>(rows: T[]): Section<T> {
  return { count: rows.length, first: rows.slice(0, PREVIEW_ROWS) };
}

const FIELD_NAMES = { uli: 'ULI', lastName: 'family name', firstName: 'given name', birthDate: 'birth date', gender: 'gender', status: 'status' } as const;
type PatientFields = { key: string; uli: string; lastName: string; firstName: string; birthDate: string; gender: string; status: string };

/** What the database holds for the file's panels, patients and practitioners: one read. */
async function current(db: Db, record: ClinicalRecord) {
  const json = JSON.stringify;
  const [panels, members, patients, practitioners, visits] = await db.batch([
    { sql: `SELECT p.key, p.name, p.panel_number, p.cpar_enabled, p.active, u.username
              FROM panels p LEFT JOIN users u ON u.id = p.failure_recipient_id
             WHERE p.key IN (SELECT value FROM json_each(?))`, args: [json(record.panels.map((p) => p.key))] },
    { sql: `SELECT pa.key AS panel, pt.key AS patient, pt.id AS patient_id, pt.last_name, pt.first_name, m.confirmed_on
              FROM panel_members m JOIN panels pa ON pa.id = m.panel_id JOIN patients pt ON pt.id = m.patient_id
             WHERE pa.key IN (SELECT value FROM json_each(?))`, args: [json(record.panels.map((p) => p.key))] },
    { sql: `SELECT key, uli, last_name, first_name, birth_date, gender, status FROM patients
             WHERE key IN (SELECT value FROM json_each(?))`,
      args: [json([...record.patients.map((p) => p.key), ...record.panels.flatMap((p) => p.members.map((m) => m.patient))])] },
    { sql: 'SELECT key, name, practitioner_id FROM practitioners WHERE key IN (SELECT value FROM json_each(?))',
      args: [json(record.practitioners.map((p) => p.key))] },
    { sql: `SELECT count(*) AS n FROM json_each(?) j
              JOIN patients p ON p.key = j.value ->> 'patient' JOIN practitioners pr ON pr.key = j.value ->> 'practitioner'
             WHERE EXISTS (SELECT 1 FROM visits v WHERE v.patient_id = p.id AND v.practitioner_id = pr.id AND v.visit_date = j.value ->> 'date')`,
      args: [json(record.visits)] },
  ], 'read');
  const rowPatient = (r: Record<string, unknown>): PatientFields => ({
    key: String(r.key), uli: String(r.uli), lastName: String(r.last_name), firstName: String(r.first_name),
    birthDate: String(r.birth_date), gender: String(r.gender), status: String(r.status),
  });
  return {
    panels: new Map(panels.rows.map((r) => [String(r.key), r])),
    members: members.rows,
    patients: new Map(patients.rows.map((r) => [String(r.key), rowPatient(r)])),
    practitioners: new Map(practitioners.rows.map((r) => [String(r.key), r])),
    existingVisits: Number(visits.rows[0].n),
  };
}

/**
 * The preview of importing `input` with `options` (as Apply will import it): its problems
 * when it would be refused (nothing would be written), otherwise what would change. Reads only.
 */
export async function previewImport(db: Db, clock: Clock, input: unknown, options: ImportOptions = {}): Promise<{ ok: true; preview: ImportPreview } | { ok: false; problems: Problem[] }> {
  const checked = checkImport(input, await readExisting(db, input), edmontonDate(clock.now()));
  if (!checked.ok) return checked;
  const record = checked.record;
  const now = await current(db, record);
  const name = (p: { lastName: string; firstName: string }) => `${p.lastName}, ${p.firstName}`;
  const inFile = new Map(record.patients.map((p) => [p.key, p]));
  const patientName = (key: string) => {
    const p = inFile.get(key) ?? now.patients.get(key);
    return p ? name(p) : key;
  };
  const panelName = new Map(record.panels.map((p) => [p.key, p.name]));

  const panels = record.panels.flatMap((p): { name: string; change: 'new' | 'changed' }[] => {
    const was = now.panels.get(p.key);
    if (!was) return [{ name: p.name, change: 'new' as const }];
    const changed = String(was.name) !== p.name || (was.panel_number ?? null) !== p.panelNumber || Number(was.cpar_enabled) !== (p.cparEnabled ? 1 : 0)
      || Number(was.active) !== 1
      // A FHIR import leaves an existing panel's failure recipient as it is.
      || (!options.keepFailureRecipients && (was.username === null ? null : String(was.username).toLowerCase()) !== (p.failureRecipient?.toLowerCase() ?? null));
    return changed ? [{ name: p.name, change: 'changed' as const }] : [];
  });

  const demographics: DemographicsRow[] = [];
  const newPatients: { patient: string }[] = [];
  const written = new Set<string>();
  for (const p of record.patients) {
    const was = now.patients.get(p.key);
    if (!was) {
      newPatients.push({ patient: name(p) });
      written.add(p.key);
      continue;
    }
    const fields = (Object.keys(FIELD_NAMES) as (keyof typeof FIELD_NAMES)[]).filter((f) => was[f] !== p[f]).map((f) => FIELD_NAMES[f]);
    if (fields.length) {
      demographics.push({ patient: name(p), fields });
      written.add(p.key);
    }
  }

  const existing = new Map(now.members.map((m) => [`${m.panel}\u0000${m.patient}`, m]));
  const listed = new Set<string>();
  const added: MemberRow[] = [];
  const confirmations: ConfirmationRow[] = [];
  for (const panel of record.panels) {
    for (const m of panel.members) {
      const id = `${panel.key}\u0000${m.patient}`;
      listed.add(id);
      const was = existing.get(id);
      if (!was) added.push({ panel: panel.name, patient: patientName(m.patient) });
      else if ((was.confirmed_on ?? null) !== m.confirmedOn) {
        confirmations.push({ panel: panel.name, patient: patientName(m.patient), from: was.confirmed_on === null ? null : String(was.confirmed_on), to: m.confirmedOn });
      }
    }
  }
  const removed = now.members.filter((m) => !listed.has(`${m.panel}\u0000${m.patient}`))
    .map((m) => ({ panel: panelName.get(String(m.panel)) ?? String(m.panel), patient: `${m.last_name}, ${m.first_name}` }));

  const practitioners = record.practitioners.reduce((acc, p) => {
    const was = now.practitioners.get(p.key);
    if (!was) acc.created++;
    else if (String(was.name) !== p.name || (was.practitioner_id ?? null) !== p.practitionerId) acc.changed++;
    return acc;
  }, { created: 0, changed: 0 });

  // The patients whose information the import writes or takes off a panel.
  const touchedKeys = new Set(written);
  for (const panel of record.panels) for (const m of panel.members) {
    const was = existing.get(`${panel.key}\u0000${m.patient}`);
    if (!was || (was.confirmed_on ?? null) !== m.confirmedOn) touchedKeys.add(m.patient);
  }
  const removedIds = now.members.filter((m) => !listed.has(`${m.panel}\u0000${m.patient}`)).map((m) => Number(m.patient_id));

  return {
    ok: true,
    preview: {
      panels: section(panels), patients: section(newPatients), membersAdded: section(added), membersRemoved: section(removed),
      confirmations: section(confirmations), demographics: section(demographics), practitioners,
      visits: new Set(record.visits.map((v) => JSON.stringify([v.patient, v.practitioner, v.date]))).size - now.existingVisits, warnings: checked.warnings,
      touched: { keys: [...touchedKeys], ids: removedIds },
    },
  };
}
