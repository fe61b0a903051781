import type { AccessReport } from '../domain/audit/patient-access.ts';
import { csvRecord } from '../domain/panels/members-csv.ts';
import { entryWords, objectWords, permissionWords } from './audit-words.tsx';
import { disclosureWords } from './patient-access-page.tsx';

export const ACCESS_CSV_HEADER = ['When (Edmonton)', 'Who', 'Role (permissions)', 'What', 'Screen', 'About', 'Disclosure to Netcare'];

/** The report as CSV (RFC 4180, formula-safe fields), with a byte-order mark for Excel. */
export function patientAccessCsv(report: AccessReport): string {
  return `\uFEFF${csvRecord(ACCESS_CSV_HEADER)}${report.accesses.map((a) => csvRecord([
    a.atEdmonton, a.username ?? '', permissionWords(a.permissions), entryWords(a), a.route,
    [objectWords(a), a.objectName].filter(Boolean).join(' — '), disclosureWords(a),
  ])).join('')}`;
}

/** e.g. patient-access-2026-11-10.csv: no ULI in the file name, which lands in download folders and histories. */
export const patientAccessCsvFileName = (day: string) => `patient-access-${day}.csv`;
