// What the main thread and the importing thread say to each other (structured clone). "Now"
// travels with each job: the thread has no clock of its own.
import type { Scope } from '../domain/people/permissions.ts';
import type { SourceFile } from '../domain/import/fhir-files.ts';
import type { ImportAudit } from '../domain/import/importer.ts';
import type { CsvChoices } from '../domain/import/csv-import.ts';

export type ImportWork = { scope: Scope } & (
  | { op: 'start'; files: SourceFile[] }
  | { op: 'get'; token: string }
  | { op: 'apply'; token: string; audit: ImportAudit }
  | { op: 'mapCsv'; token: string; choices: CsvChoices });

export type ImportJob = ImportWork & { nowMs: number };

export type ImporterData = { databaseUrl: string; authToken?: string };
