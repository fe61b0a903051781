// The simulator's table of contained resources by id, keyed by byte ranges of the message.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SpanTable } from '../../src/netcare-sim/span-table.ts';

test('finds every id among thousands (past several growths), by equal bytes anywhere in the buffer', () => {
  const ids = Array.from({ length: 5000 }, (_, i) => `patient-${i}`);
  const text = `${ids.join(',')}|${ids.join(',')}`;
  const bytes = Buffer.from(text, 'latin1');
  const table = new SpanTable(bytes);
  let at = 0;
  ids.forEach((id, i) => {
    assert.ok(table.add(at, at + id.length, i));
    at += id.length + 1;
  });
  at = text.indexOf('|') + 1;
  ids.forEach((id, i) => {
    assert.is(table.get(at, at + id.length), i, id);
    assert.not.ok(table.add(at, at + id.length, -1), 'a second resource with the same id is refused');
    at += id.length + 1;
  });
  assert.is(table.get(0, 7), undefined, '"patient" is not an id');
  assert.is(table.get(0, 0), undefined);
});

test.run();
