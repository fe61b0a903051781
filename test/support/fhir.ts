import { readdirSync, readFileSync } from 'node:fs';
import type { Db } from '../../src/domain/database/db.ts';
import type { SourceFile } from '../../src/domain/import/fhir-files.ts';

export const HL7_SHAPES = new URL('../fixtures/fhir/hl7-shapes/', import.meta.url);
export const CLINIC_BUNDLE = new URL('../../db/examples/clinic-import.fhir.json', import.meta.url);

/** The NDJSON files of the HL7-shaped fixture, by bare name. */
export function hl7Files(): SourceFile[] {
  return readdirSync(HL7_SHAPES).filter((n) => n.endsWith('.ndjson')).sort()
    .map((name) => ({ name, text: readFileSync(new URL(name, HL7_SHAPES), 'utf8') }));
}

export function clinicBundle(): { resourceType: string; entry: { fullUrl?: string; resource: Record<string, unknown> }[] } {
  return JSON.parse(readFileSync(CLINIC_BUNDLE, 'utf8'));
}

const all = async (db: Db, sql: string) => (await db.execute(sql)).rows.map((r) => Object.values(r).map((v) => (v === null ? null : String(v))).join(' | '));

/**
 * What a clinic is, without the keys and row ids the two imports choose differently: every
 * patient, practitioner, panel (with its failure recipient), link, membership and visit,
 * each list sorted.
 */
export async function clinicView(db: Db) {
  return {
    patients: await all(db, 'SELECT uli, last_name, first_name, birth_date, gender, status FROM patients ORDER BY uli'),
    practitioners: await all(db, 'SELECT name, practitioner_id FROM practitioners ORDER BY name'),
    panels: await all(db, `SELECT p.name, p.panel_number, p.cpar_enabled, p.active, u.username FROM panels p
                             LEFT JOIN users u ON u.id = p.failure_recipient_id ORDER BY p.name`),
    panelPractitioners: await all(db, `SELECT pa.name AS panel, pr.name AS practitioner FROM panel_practitioners l JOIN panels pa ON pa.id = l.panel_id
                                         JOIN practitioners pr ON pr.id = l.practitioner_id ORDER BY 1, 2`),
    members: await all(db, `SELECT pa.name, pt.uli, m.confirmed_on FROM panel_members m JOIN panels pa ON pa.id = m.panel_id
                              JOIN patients pt ON pt.id = m.patient_id ORDER BY 1, 2`),
    visits: await all(db, `SELECT pt.uli, pr.name AS practitioner, v.visit_date FROM visits v JOIN patients pt ON pt.id = v.patient_id
                             JOIN practitioners pr ON pr.id = v.practitioner_id ORDER BY 1, 2, 3`),
  };
}
