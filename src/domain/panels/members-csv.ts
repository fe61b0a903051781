import type { Db } from '../database/db.ts';
import { edmontonDate } from '../time/edmonton.ts';
import { LAST_VISIT_SQL, STATUS_LABELS, toMember, type MembersPanel } from './panel-members.ts';

/**
 * One CSV field, RFC 4180: a field holding a comma, a double quote, CR or LF is put in
 * double quotes, its quotes doubled. Before that, against CSV formula injection (OWASP), a
 * field starting with =, +, -, @, tab or CR gets a leading single quote, so a spreadsheet
 * shows it as text instead of running it as a formula: a patient named "=HYPERLINK(…)"
 * exports as "'=HYPERLINK(…)". ULIs and dates never start with those characters.
 */
export function csvField(value: string): string {
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, CRLF-terminated as RFC 4180 says. */
export function csvRecord(fields: string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

export const MEMBERS_CSV_HEADER = ['ULI', 'Last name', 'First name', 'Date of birth', 'Gender', 'Confirmation date', 'Last visit date', 'Status'];

/** e.g. panel-PNL-0001-members-2026-11-10.csv: only [A-Za-z0-9._-], whatever the panel number holds. */
export function membersCsvFileName(panel: MembersPanel, at: Date): string {
  const label = (panel.panelNumber ?? String(panel.id)).replace(/[^A-Za-z0-9._-]/g, '-');
  return `panel-${label}-members-${edmontonDate(at)}.csv`;
}

/**
 * Every member of the panel as CSV text, in pieces: the header first, then one piece per
 * `chunkSize` members read by keyset pagination on the patient id (no OFFSET, so a large
 * panel costs the same per chunk and memory stays flat). Starts with a byte-order mark so
 * Excel reads accented names as UTF-8. Last visit dates are computed as extraction does.
 */
export async function* membersCsv(db: Db, panelId: number, at: Date, chunkSize = 1000): AsyncGenerator<string> {
  yield `\uFEFF${csvRecord(MEMBERS_CSV_HEADER)}`;
  const today = edmontonDate(at);
  for (let after = 0; ;) {
    const rows = (await db.execute({
      sql: `SELECT pt.id, pt.uli, pt.last_name, pt.first_name, pt.birth_date, pt.gender, pt.status, m.confirmed_on,
                   ${LAST_VISIT_SQL} AS last_visit_on
              FROM panel_members m JOIN patients pt ON pt.id = m.patient_id
             WHERE m.panel_id = ? AND m.patient_id > ?
             ORDER BY m.patient_id LIMIT ?`,
      args: [today, panelId, after, chunkSize],
    })).rows.map((r) => toMember(r));
    if (rows.length === 0) return;
    yield rows.map((m) => csvRecord([m.uli, m.lastName, m.firstName, m.birthDate, m.gender, m.confirmedOn ?? '',
      m.lastVisitOn ?? '', STATUS_LABELS[m.status]])).join('');
    if (rows.length < chunkSize) return;
    after = rows[rows.length - 1].patientId;
  }
}

/** Whom the export names: every member, as membersCsv reads them (the audit trail records each). */
export async function exportedPatientIds(db: Db, panelId: number): Promise<number[]> {
  const rows = await db.execute({ sql: 'SELECT patient_id FROM panel_members WHERE panel_id = ? ORDER BY patient_id', args: [panelId] });
  return rows.rows.map((r) => Number(r.patient_id));
}
