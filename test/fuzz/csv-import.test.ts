// The CSV panel-list import fed generated files (fixed seed: see support.ts): any bytes, and
// panel lists whose cells are broken the ways form fields break. Whatever arrives, it never
// throws; it imports the file whole or names each problem by a line of the file and a column
// of its header, writes nothing, and never repeats a cell.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { ManualClock } from '../../src/domain/time/clock.ts';
import { importClinicalRecord } from '../../src/domain/import/import.ts';
import { importCsv } from '../../src/domain/import/csv-import.ts';
import { addUser, count, freshDb } from '../support/app.ts';
import { runs, text } from './support.ts';

const test = suite('fuzz: CSV panel-list import');
const clock = new ManualClock('2026-11-10T12:00:00-07:00');
const db = await freshDb();
await addUser(db, 'jsmith');
const base = await importClinicalRecord(db, clock, {
  practitioners: [{ key: 'dr', name: 'Dr. Base', practitionerId: '123456' }],
  panels: [{ key: 'panel', name: 'Base', practitioners: ['dr'], panelNumber: 'PNL-BASE', cparEnabled: true, failureRecipient: 'jsmith', members: [] }],
});
assert.ok(base.ok);

const HEADER = ['PHN', 'Last Name', 'First Name', 'DOB', 'Sex', 'Provider', 'Confirmed', 'Last Visit', 'Status'];
const GOOD = ['123456789', 'Zqlast', 'Zqfirst', '1970-01-31', 'F', 'PNL-BASE', '2026-01-02', '2026-03-04', 'Active'];
const quote = (cell: string) => `"${cell.replace(/"/g, '""')}"`;

/** A panel list: good rows with some cells replaced by generated text, quoted as RFC 4180 says. */
// Most cells good, so that some files import and the rest fail on a cell or two.
const cell = fc.oneof({ weight: 12, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: text });
const panelList = fc.array(fc.array(cell, { minLength: 9, maxLength: 9 }), { minLength: 1, maxLength: 4 })
  .chain((rows) => fc.constantFrom(',', ';').map((d) => ({
    delimiter: d,
    rows: rows.map((cells, i) => cells.map((c, j) => (c === undefined ? (j === 0 ? String(123456789 + i) : GOOD[j]) : c))),
  })));

test('any bytes: a result, never an exception; problems name only where', async () => {
  await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), async (bytes) => {
    const result = await importCsv(db, clock, Buffer.from(bytes), { dates: 'DD/MM/YYYY' });
    if (!result.ok) for (const p of result.problems) assert.ok(p.line === null || p.line >= 1);
  }), runs(150));
});

test('broken panel lists: imported whole, or refused by line and column, nothing written, no cell repeated', async () => {
  await fc.assert(fc.asyncProperty(panelList, async ({ delimiter, rows }) => {
    await db.batch(['DELETE FROM visits', 'DELETE FROM panel_members', 'DELETE FROM patients'], 'write');
    const file = [HEADER, ...rows].map((cells) => cells.map(quote).join(delimiter)).join('\r\n');
    const result = await importCsv(db, clock, Buffer.from(file), { dates: 'DD/MM/YYYY' });
    if (result.ok) return;
    assert.is(await count(db, 'SELECT count(*) FROM patients'), 0, 'nothing written');
    const lines = file.split(/\r\n|\r|\n/).length;
    for (const p of result.problems) {
      assert.ok(p.line === null || (p.line >= 2 && p.line <= lines), `line ${p.line}`);
      assert.ok(p.column === null || HEADER.includes(p.column), `column ${p.column}`);
      for (const cell of rows.flat()) {
        if (cell.trim().length >= 4 && !/^[\d\s-]+$/.test(cell) && !/^(Active|F)$/.test(cell)) assert.not.ok(p.message.includes(cell), p.message);
      }
    }
  }), runs(150));
});

test.run();
