import type { Db } from '../../src/domain/database/db.ts';
import { addSubmission } from './app.ts';

let nextUli = 200_000_000;

export type PanelSpec = {
  name: string;
  number?: string;
  cpar?: boolean;
  practitioners?: { name: string; practitionerId: string | null }[];
  /** members with a visit and a confirmation date */
  patients?: number;
  withoutVisit?: number;
  withoutConfirmation?: number;
  recipient?: number | null;
};

/** A panel with real members, visits and confirmation dates, written in a few statements. */
export async function addClinicPanel(db: Db, spec: PanelSpec): Promise<{ panelId: number; patientIds: number[] }> {
  const practitioners = spec.practitioners ?? [{ name: `Dr. ${spec.name}`, practitionerId: '123456' }];
  const practitionerIds: number[] = [];
  for (const p of practitioners) {
    const r = await db.execute({ sql: 'INSERT INTO practitioners (name, practitioner_id) VALUES (?, ?) RETURNING id', args: [p.name, p.practitionerId] });
    practitionerIds.push(Number(r.rows[0].id));
  }
  const cpar = spec.cpar ?? true;
  const panel = await db.execute({
    sql: `INSERT INTO panels (name, panel_number, cpar_enabled, failure_recipient_id, created_at) VALUES (?, ?, ?, ?, 0) RETURNING id`,
    args: [spec.name, cpar ? (spec.number ?? `PNL-${nextUli}`) : null, cpar ? 1 : 0, spec.recipient ?? null],
  });
  const panelId = Number(panel.rows[0].id);
  await db.execute({
    sql: 'INSERT INTO panel_practitioners (panel_id, practitioner_id) SELECT ?, value FROM json_each(?)',
    args: [panelId, JSON.stringify(practitionerIds)],
  });
  const ok = spec.patients ?? 3;
  const noVisit = spec.withoutVisit ?? 0;
  const noConfirmation = spec.withoutConfirmation ?? 0;
  const patientIds: number[] = [];
  for (let i = 0; i < ok + noVisit + noConfirmation; i++) {
    const r = await db.execute({
      sql: `INSERT INTO patients (uli, last_name, first_name, birth_date, gender) VALUES (?, 'Testperson', ?, '1980-05-17', 'F') RETURNING id`,
      args: [String(nextUli++), `Pat${i}`],
    });
    const id = Number(r.rows[0].id);
    patientIds.push(id);
    const visits = i < ok || i >= ok + noVisit;
    const confirmed = i < ok + noVisit;
    await db.execute({ sql: 'INSERT INTO panel_members (panel_id, patient_id, confirmed_on) VALUES (?, ?, ?)', args: [panelId, id, confirmed ? '2026-06-01' : null] });
    if (visits) await db.execute({ sql: 'INSERT INTO visits (patient_id, practitioner_id, visit_date) VALUES (?, ?, ?)', args: [id, practitionerIds[0], '2026-09-01'] });
  }
  return { panelId, patientIds };
}

export type RegistryException = { patientId: number; kind: 'mismatch' | 'conflict'; detail: object };

/**
 * A Submitted submission of the panel that the registry answered: `counted` patients counted
 * and these exceptions, each new with it (kept by the patient's ULI, as the poll keeps them).
 */
export async function addRegistryAnswer(db: Db, panelId: number,
  answer: { createdAt: string; patientCount: number; counted: number; exceptions: RegistryException[] }): Promise<number> {
  const sent = await addSubmission(db, panelId, { status: 'Submitted', createdAt: answer.createdAt, patientCount: answer.patientCount });
  await db.execute({ sql: 'UPDATE submissions SET registry_counted = ? WHERE id = ?', args: [answer.counted, sent] });
  for (const e of answer.exceptions) {
    await db.execute({
      sql: `INSERT INTO registry_exceptions (submission_id, panel_id, uli, kind, detail, open_since_submission_id)
            VALUES (?1, ?2, (SELECT uli FROM patients WHERE id = ?3), ?4, ?5, ?1)`,
      args: [sent, panelId, e.patientId, e.kind, JSON.stringify(e.detail)],
    });
  }
  return sent;
}
