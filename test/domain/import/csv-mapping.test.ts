import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkMapping, guessMapping, readDateFormat, toIsoDate, type Mapping } from '../../../src/domain/import/csv-mapping.ts';

const test = suite('CSV panel list: the column mapping and the date format');

const rows = (...lines: string[][]) => lines.map((values, i) => ({ line: i + 2, values }));

test('the mapping is guessed from header names EMR reports use, whatever their case and punctuation', () => {
  assert.equal(guessMapping(['PHN', 'Last Name', 'First Name', 'DOB', 'Sex', 'Primary Provider', 'Confirmation Date', 'Last Visit', 'Status', 'Address']), {
    uli: 'PHN', lastName: 'Last Name', firstName: 'First Name', birthDate: 'DOB', gender: 'Sex', provider: 'Primary Provider',
    confirmedOn: 'Confirmation Date', lastVisit: 'Last Visit', status: 'Status',
  });
  const other = guessMapping(['uli', 'SURNAME', 'given_name', 'Date of Birth', 'Gender', 'MRP', 'Attached Since', 'last-visit-date', 'Notes']);
  assert.equal([other.uli, other.lastName, other.firstName, other.birthDate, other.provider, other.lastVisit], ['uli', 'SURNAME', 'given_name', 'Date of Birth', 'MRP', 'last-visit-date']);
  assert.is(other.confirmedOn, null, 'a name it does not know is not guessed');
  assert.is(other.status, null);
});

test('one column is guessed for one field only', () => {
  const m = guessMapping(['Status', 'Status 2', 'PHN']);
  assert.is(m.status, 'Status');
  assert.is(m.uli, 'PHN');
});

test('a mapping is refused when a required field has no column, a column is used twice, or a column is not in the file', () => {
  const header = ['PHN', 'Last', 'First', 'DOB', 'Sex', 'Doctor', 'Confirmed'];
  const good = guessMapping(header);
  assert.equal(checkMapping(good, header), []);
  const messages = (m: Mapping) => checkMapping(m, header).map((p) => `${p.column ?? ''}|${p.message}`);
  assert.equal(messages({ ...good, confirmedOn: null }), ['|Confirmation date: choose the column that holds it']);
  assert.equal(messages({ ...good, status: 'Sex' }), ['Sex|Status: this column is already Gender']);
  assert.equal(messages({ ...good, lastVisit: 'Visit' }), ['Visit|Last visit date: the file has no such column']);
});

const header = ['PHN', 'DOB', 'Confirmed', 'Note'];
const mapping = { ...guessMapping(header), confirmedOn: 'Confirmed' };

test('a file whose every slashed date has day and month ≤ 12 is ambiguous: the columns holding them are named', () => {
  const reading = readDateFormat(rows(['1', '04/03/1975', '2026-01-02', '25/12/2020'], ['2', '11/12/1988', '05/06/2025', ''], ['3', '12/10/2001', '']), header, mapping);
  assert.equal(reading, { settled: false, columns: ['DOB', 'Confirmed'] }, 'the Note column is no date column, and ISO dates settle nothing');
});

test('one date with a part over 12 settles the whole file', () => {
  assert.equal(readDateFormat(rows(['1', '04/03/1975', '25/03/2026']), header, mapping), { settled: true, format: 'DD/MM/YYYY' });
  assert.equal(readDateFormat(rows(['1', '04/03/1975', '3/25/2026']), header, mapping), { settled: true, format: 'MM/DD/YYYY' });
  assert.equal(readDateFormat(rows(['1', '1975-03-04', '2026-03-25']), header, mapping), { settled: true, format: 'YYYY-MM-DD' });
});

test('dates read only day first in one row and only month first in another contradict each other, by line', () => {
  const reading = readDateFormat(rows(['1', '25/03/1975', ''], ['2', '', '03/25/2026']), header, mapping);
  assert.ok(!reading.settled && 'contradiction' in reading);
  if (reading.settled || !('contradiction' in reading)) return;
  assert.equal(reading.contradiction.map((p) => [p.line, p.column]), [[2, 'DOB'], [3, 'Confirmed']]);
});

test('dates are read as the format says, ISO always; anything else is not a date', () => {
  assert.is(toIsoDate('04/03/1975', 'DD/MM/YYYY'), '1975-03-04');
  assert.is(toIsoDate('04/03/1975', 'MM/DD/YYYY'), '1975-04-03');
  assert.is(toIsoDate('4/3/1975', 'DD/MM/YYYY'), '1975-03-04');
  assert.is(toIsoDate('1975-03-04', 'MM/DD/YYYY'), '1975-03-04');
  assert.is(toIsoDate('04/03/1975', 'YYYY-MM-DD'), null);
  assert.is(toIsoDate('04/03/75', 'DD/MM/YYYY'), null);
  assert.is(toIsoDate('March 4, 1975', 'DD/MM/YYYY'), null);
});

test.run();
