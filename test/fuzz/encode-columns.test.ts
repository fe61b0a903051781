// The monthly run writes each message from the member columns the database returned
// (encode-columns.ts). Held to the message written from the snapshot those columns make
// (encode.ts, itself held to the reference builder): the same bytes and the same problems,
// for generated snapshots broken every way, columns in any order, written by JSON.stringify
// or by SQLite's own json_group_array.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { createClient } from '@libsql/client';
import type { PanelSnapshot, SnapshotPatient } from '../../src/domain/submissions/snapshot.ts';
import { JsonColumn, type MemberColumns } from '../../src/domain/database/json-column.ts';
import { messageFromSnapshot } from '../../src/netcare/encode.ts';
import { messageFromColumns } from '../../src/netcare/encode-columns.ts';
import { runs } from './support.ts';
import { snapshot } from './snapshots.ts';

const FIELDS = { uli: 'uli', lastName: 'lastName', firstName: 'firstName', birthDate: 'birthDate', gender: 'gender', lastVisit: 'lastVisitOn', confirmed: 'confirmedOn' } as const;

/** Now and then a value no snapshot type allows but a database could return: null, a number. */
const odd = fc.oneof({ weight: 12, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(null, 123456789, 0, 7.5) });
const patientsWithOdd = (s: PanelSnapshot) => fc.array(fc.tuple(fc.constantFrom(...Object.values(FIELDS)), odd), { maxLength: s.patients.length })
  .map((edits) => ({ ...s, patients: s.patients.map((p, k) => (edits[k]?.[1] === undefined ? p : { ...p, [edits[k][0]]: edits[k][1] })) as SnapshotPatient[] }));

/** A permutation of 0..n-1: order[k] is where patient k's values sit in the columns. */
const orderOf = (n: number) => fc.shuffledSubarray(Array.from({ length: n }, (_, i) => i), { minLength: n, maxLength: n });

function columnsOf(s: PanelSnapshot, order: number[], write: (values: unknown[]) => Uint8Array): MemberColumns {
  const column = (field: keyof SnapshotPatient) => {
    const values: unknown[] = [];
    s.patients.forEach((p, k) => (values[order[k]] = p[field]));
    return JsonColumn.of(write(values));
  };
  return Object.fromEntries(Object.entries(FIELDS).map(([name, field]) => [name, column(field)])) as MemberColumns;
}

const same = (s: PanelSnapshot, order: number[], columns: MemberColumns, submissionId: number) => {
  const expected = messageFromSnapshot(s, submissionId);
  const { patients: _, ...panel } = s;
  const actual = messageFromColumns(panel, columns, order, submissionId);
  assert.is(Buffer.from(actual.body).toString('latin1'), Buffer.from(expected.body).toString('latin1'));
  assert.equal(actual.problems, expected.problems);
};

const columns = suite('the message written from the member columns');

columns('is the message written from the snapshot, byte for byte, with the same problems', () => {
  fc.assert(fc.property(snapshot.chain((s) => fc.tuple(patientsWithOdd(s), orderOf(s.patients.length))), fc.integer({ min: 1, max: 2 ** 40 }),
    ([s, order], submissionId) => {
      same(s, order, columnsOf(s, order, (values) => Buffer.from(JSON.stringify(values))), submissionId);
      // with whitespace between the elements, which JSON allows
      same(s, order, columnsOf(s, order, (values) => Buffer.from(JSON.stringify(values, null, 1))), submissionId);
    }), runs(400));
});

columns('reads the lists SQLite itself writes (its escapes, its UTF-8)', async () => {
  const db = createClient({ url: ':memory:' });
  const written: unknown[][] = [];
  await fc.assert(fc.asyncProperty(snapshot.chain((s) => fc.tuple(fc.constant(s), orderOf(s.patients.length))), async ([s, order]) => {
    const lists: Uint8Array[] = [];
    for (const field of Object.values(FIELDS)) {
      const values: unknown[] = [];
      s.patients.forEach((p, k) => (values[order[k]] = p[field]));
      // json_each keeps the order of the list it reads
      const row = (await db.execute({ sql: 'SELECT CAST(json_group_array(value) AS BLOB) FROM (SELECT value FROM json_each(?) ORDER BY key)', args: [JSON.stringify(values)] })).rows[0];
      lists.push(new Uint8Array(row[0] as ArrayBuffer));
      written.push(values);
    }
    let next = 0;
    same(s, order, columnsOf(s, order, () => lists[next++]), 5);
  }), runs(150));
  db.close();
  assert.ok(written.length > 0);
});

columns('an empty panel, and a column that is not a list', () => {
  const panel: PanelSnapshot = { panelId: 1, panelName: 'P', panelNumber: '1', practitioners: [], patients: [], takenAt: new Date('2026-11-16T04:00:00Z') };
  same(panel, [], columnsOf(panel, [], () => Buffer.from('[]')), 1);
  assert.equal(JsonColumn.of(null).length, 0);
  assert.throws(() => JsonColumn.of(Buffer.from('{"a":1}')), /not a JSON list/);
  assert.throws(() => JsonColumn.of(Buffer.from('["a"')), /not a JSON list|ends inside/);
});

columns.run();
