import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readCsv } from '../../../src/domain/import/csv-read.ts';

const test = suite('CSV panel list: reading the file');
const read = (text: string) => readCsv(Buffer.from(text, 'utf8'));
const fixture = (name: string) => readFileSync(new URL(`../../fixtures/csv/${name}`, import.meta.url));

test('a Windows export: byte-order mark, semicolons, CRLF, quoted fields with the delimiter, quotes and line breaks', () => {
  const bytes = fixture('emr-panel-list.csv');
  assert.equal([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the fixture starts with a BOM');
  assert.ok(bytes.includes('\r\n'), 'and has CRLF lines');
  const read = readCsv(bytes);
  assert.ok(read.ok);
  if (!read.ok) return;
  assert.is(read.table.delimiter, ';');
  assert.is(read.table.header[0], 'PHN', 'the BOM is not part of the first column name');
  assert.is(read.table.rows.length, 13);
  const [first, second, third] = read.table.rows;
  assert.is(first.values[5], 'Okoye, Chidi');
  assert.is(first.values[9], '12 Main St, Unit 4\r\nCalgary AB', 'a line break inside quotes stays in the field');
  assert.equal([first.line, second.line, third.line], [2, 4, 5], 'a row is numbered by the line it starts on');
  assert.is(third.values[9], '"The Willows", Room 3');
  assert.is(read.table.rows.at(-1)!.line, 15);
});

test('a comma file with LF lines and a quoted field across two lines', () => {
  const read = readCsv(fixture('ambiguous-dates.csv'));
  assert.ok(read.ok);
  if (!read.ok) return;
  assert.is(read.table.delimiter, ',');
  assert.equal(read.table.rows.map((r) => r.line), [2, 3, 4]);
  assert.is(read.table.rows[2].values[9], 'guardian: mother,\nsame address');
});

test('the delimiter is the header line’s: a semicolon file may hold commas in its fields, unquoted', () => {
  const r = read('PHN;Name\n123;Lee, Ada\n');
  assert.ok(r.ok && r.table.rows[0].values[1] === 'Lee, Ada');
  const c = read('PHN,"Last; First"\n123,x\n');
  assert.ok(c.ok && c.table.delimiter === ',' && c.table.header[1] === 'Last; First');
});

test('empty lines are skipped but counted; spaces around fields are trimmed', () => {
  const r = read('a,b\n\n 1 , 2 \r\n\r\n3,4');
  assert.ok(r.ok);
  if (!r.ok) return;
  assert.equal(r.table.rows, [{ line: 3, values: ['1', '2'] }, { line: 5, values: ['3', '4'] }]);
});

test('a broken file is refused by the line its bad row starts on, with no value from it', () => {
  const cases: [string, number, string][] = [
    ['a,b\n1,2\n3,4,Secretname\n', 3, 'this row has not as many fields as the header'],
    ['a,b\n1,2\n5,"Secretname\n', 3, 'a quoted field is not closed'],
    ['a,b\n1,"x\ny"\n2,Se"cretname\n', 4, 'a quote in the middle of a field that is not quoted'],
    ['a,b\n1,"Secret"name\n', 2, 'a quoted field goes on after its closing quote'],
  ];
  for (const [text, line, message] of cases) {
    const r = read(text);
    assert.not.ok(r.ok, text);
    if (r.ok) continue;
    assert.equal(r.problems, [{ line, column: null, message }], text);
    assert.not.match(JSON.stringify(r.problems), 'Secret');
  }
});

test('not UTF-8, empty, a header only, or a header with an unnamed or repeated column is refused', () => {
  const latin1 = readCsv(Buffer.from('PHN,Last\n123,M\xfcller\n', 'latin1'));
  assert.ok(!latin1.ok && /not UTF-8/.test(latin1.problems[0].message));
  assert.ok(!read('').ok);
  const headerOnly = read('a,b\n');
  assert.ok(!headerOnly.ok && headerOnly.problems[0].message === 'the file has a header and no rows');
  const unnamed = read('a,,c\n1,2,3\n');
  assert.ok(!unnamed.ok && unnamed.problems[0].message === 'a column has no name');
  const twice = read('a,b,a\n1,2,3\n');
  assert.ok(!twice.ok && twice.problems[0].message === 'two columns are named "a"');
});

test.run();
