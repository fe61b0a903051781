// The run's extraction when the database is a file: the same statements as
// extractPanel (src/domain/pipeline/extraction.ts), prepared once on a read-only connection of the
// native driver instead of parsed, planned and copied through the client for every panel
// (1.8 s of a province's run).
import Database from 'libsql';
import { EXTRACTION, extractedOf, type Extracted } from '../domain/pipeline/extraction.ts';

export function nativeExtractor(path: string) {
  const db = new Database(path, { readonly: true });
  // .raw(true) is the driver's "rows as arrays" switch (no HTML here: these are SQL statements).
  const panel = db.prepare(EXTRACTION.panel.sql).raw(true);
  const practitioners = db.prepare(EXTRACTION.practitioners.sql).raw(true);
  const members = db.prepare(EXTRACTION.members.sql).raw(true);
  const begin = db.prepare('BEGIN');
  const commit = db.prepare('COMMIT');
  return {
    extract(panelId: number, at: Date): Extracted | null {
      // One read transaction: the three reads see the same database.
      begin.run();
      let rows;
      try {
        rows = {
          panel: panel.get(...EXTRACTION.panel.args(panelId)) as unknown[] | undefined,
          practitioners: practitioners.all(...EXTRACTION.practitioners.args(panelId)) as unknown[][],
          members: members.get(...EXTRACTION.members.args(panelId, at)) as unknown[] | undefined,
        };
      } finally {
        commit.run();
      }
      return extractedOf(panelId, at, rows);
    },
    close: () => db.close(),
  };
}
