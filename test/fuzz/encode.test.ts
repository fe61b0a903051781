// The monthly run writes each panel's message directly from the snapshot (encode.ts). Held
// to the reference builder and validator for generated snapshots, broken in every way a
// snapshot can be: the bytes must be JSON.stringify(buildCparGroup(s)) with everything past
// ASCII escaped, byte for byte, and the problems exactly validateCparGroup's.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { isAscii } from 'node:buffer';
import { asciiJson, encodeCparGroup, snapshotProblems } from '../../src/netcare/encode.ts';
import { buildCparGroup, validateCparGroup } from '../../src/netcare/payload.ts';
import { runs } from './support.ts';
import { snapshot } from './snapshots.ts';

const encode = suite('the message written directly from a snapshot');

encode('is the reference Group, byte for byte, with exactly its problems', () => {
  fc.assert(fc.property(snapshot, fc.integer({ min: 1, max: 2 ** 40 }), (s, submissionId) => {
    const group = buildCparGroup(s, submissionId);
    const bytes = encodeCparGroup(s, submissionId);
    assert.ok(isAscii(bytes), 'the message is all ASCII');
    assert.is(bytes.toString('latin1'), asciiJson(JSON.stringify(group)));
    assert.equal(JSON.parse(bytes.toString('latin1')), JSON.parse(JSON.stringify(group)));
    assert.equal(snapshotProblems(s, submissionId), validateCparGroup(JSON.parse(JSON.stringify(group))));
  }), runs(400));
});

encode.run();
