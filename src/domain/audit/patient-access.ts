import type { Db } from '../database/db.ts';
import { ENTRIES_NAMING_ULI, namingUli, OBJECT_NAME } from './audit-query.ts';

/** One access to a patient's information, as the trail recorded it. */
export type PatientAccess = {
  id: number; at: Date; atEdmonton: string; username: string | null; permissions: string; action: string;
  route: string; objectType: string | null; objectId: string | null; objectName: string | null;
  /** set when the access was a send to Netcare: the submission that carried the patient */
  disclosure: Disclosure | null;
};

export type Disclosure = { submissionId: number; panelName: string | null; status: string | null; netcareReference: string | null };

/** What the clinic hands a patient who asks who accessed their information. */
export type AccessReport = {
  uli: string;
  /** the patient as the clinic knows them now; null when no patient has the ULI (the trail may still name it) */
  patient: { id: number; name: string; birthDate: string } | null;
  accesses: PatientAccess[];
};

export async function findPatient(db: Db, uli: string): Promise<AccessReport['patient']> {
  const r = (await db.execute({ sql: 'SELECT id, last_name, first_name, birth_date FROM patients WHERE uli = ?', args: [uli] })).rows[0];
  return r ? { id: Number(r.id), name: `${r.last_name}, ${r.first_name}`, birthDate: String(r.birth_date) } : null;
}

/**
 * Every entry of the trail that names the patient, oldest first: each screen that showed them,
 * each change, export and search, and each send to Netcare (its entry is written with the send
 * and names every patient of the panel's snapshot; `disclosure` says which submission it was).
 */
export async function patientAccessReport(db: Db, uli: string): Promise<AccessReport> {
  const [patient, rows] = await Promise.all([findPatient(db, uli), db.execute({
    sql: `SELECT a.id, a.at, a.at_edmonton, a.username, a.permissions, a.action, a.route, a.object_type, a.object_id,
                 ${OBJECT_NAME} AS object_name, s.id AS submission_id, p.name AS panel_name, s.status, s.netcare_reference
            FROM audit_log a
            LEFT JOIN submissions s ON a.action = 'submit' AND a.request_id = 'submission-' || s.id
            LEFT JOIN panels p ON p.id = s.panel_id
           WHERE a.id IN (SELECT id FROM audit_log WHERE ${ENTRIES_NAMING_ULI})
           ORDER BY a.id`,
    args: namingUli(uli),
  })]);
  const text = (v: unknown) => (v === null ? null : String(v));
  return {
    uli, patient,
    accesses: rows.rows.map((r) => ({
      id: Number(r.id), at: new Date(Number(r.at)), atEdmonton: String(r.at_edmonton), username: text(r.username),
      permissions: String(r.permissions), action: String(r.action), route: String(r.route), objectType: text(r.object_type),
      objectId: text(r.object_id), objectName: text(r.object_name),
      disclosure: r.submission_id === null ? null : {
        submissionId: Number(r.submission_id), panelName: text(r.panel_name), status: text(r.status), netcareReference: text(r.netcare_reference),
      },
    })),
  };
}
