// The Import page's work — reading, checking, previewing and applying an upload — behind one
// interface, so that the portal runs it on a thread of its own (src/importer/) while pages are
// served, and the CLI's in-memory database and the tests run it in place.
import type { Db } from '../database/db.ts';
import type { Clock } from '../time/clock.ts';
import type { Scope } from '../people/permissions.ts';
import type { SourceFile } from './fhir-files.ts';
import { applyImport, getImport, startImport, type ApplyResult, type GetResult, type StartResult } from './import-previews.ts';
import { mapCsvUpload, type Mapped } from './csv-uploads.ts';
import type { CsvChoices } from './csv-import.ts';

export type ImportAudit = { route: string; requestId?: string };

export type Importer = {
  start(scope: Scope, files: SourceFile[]): Promise<StartResult>;
  get(scope: Scope, token: string): Promise<GetResult>;
  apply(scope: Scope, token: string, audit: ImportAudit): Promise<ApplyResult>;
  /** a CSV panel list translated with its mapping into a preview (step 2 → 3) */
  mapCsv(scope: Scope, token: string, choices: CsvChoices): Promise<Mapped>;
};

/** The import's work on the calling thread. */
export function importerOn(db: Db, clock: Clock): Importer {
  const importer: Importer = {
    start: (scope, files) => startImport(db, clock, scope, files),
    get: (scope, token) => getImport(db, clock, scope, token),
    apply: (scope, token, audit) => applyImport(db, clock, scope, token, audit),
    mapCsv: (scope, token, choices) => mapCsvUpload(db, clock, scope, token, choices),
  };
  return importer;
}
