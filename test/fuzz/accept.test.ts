// The simulator accepts most messages without JSON.parse (src/netcare-sim/accept.ts). Held to
// the general way (JSON.parse, then validateCparGroup): whenever the quick reader accepts a
// message, the general way finds no problem in it and the same panel number and patient
// count; and it does accept the valid messages the portal sends, written any way JSON allows.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import type { PanelSnapshot } from '../../src/domain/submissions/snapshot.ts';
import { encodeCparGroup } from '../../src/netcare/encode.ts';
import { buildCparGroup } from '../../src/netcare/payload.ts';
import { acceptedMessage } from '../../src/netcare-sim/accept.ts';
import { readInFull, readReceipt } from '../../src/netcare-sim/receipt.ts';
import type { SubmittedMembers } from '../../src/netcare-sim/registry.ts';
import { runs } from './support.ts';
import { snapshot } from './snapshots.ts';

const day = fc.date({ min: new Date('1900-01-01'), max: new Date('2026-11-15'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const name = fc.constantFrom('Okafor', 'Lindqvist', "O'Brien", 'Zoë "Z" Ng', 'Tremblay\\', ' Mats', '😀', 'a\u0000b', '\u00a0x', 'Ève');

/** Snapshots the receiver accepts: every rule met (taken 16 November 2026, Edmonton). */
const validSnapshot: fc.Arbitrary<PanelSnapshot> = fc.record({
  panelId: fc.nat(),
  panelName: fc.constantFrom('Dr. Moreau family practice', 'Clinique Lévesque', 'x'.repeat(255), ' "quoted" \\ panel'),
  panelNumber: fc.constantFrom('CPAR-000417', '17', 'Ñ-1'),
  practitioners: fc.array(fc.record({ name, practitionerId: fc.constantFrom('0412345', '99') }), { minLength: 1, maxLength: 3 }),
  patients: fc.uniqueArray(fc.integer({ min: 0, max: 999_999_999 }), { maxLength: 30 }).chain((ulis) => fc.tuple(...ulis.map((uli) => fc.record({
    patientId: fc.nat(), uli: fc.constant(String(uli).padStart(9, '0')), lastName: name, firstName: name, birthDate: day,
    gender: fc.constantFrom('F' as const, 'M' as const, 'X' as const, 'U' as const), lastVisitOn: day, confirmedOn: day,
  })))),
  takenAt: fc.constant(new Date('2026-11-16T04:00:00Z')),
});

/** The same value with every object's keys in another order (which may put members before their patients). */
function shuffled(value: unknown, random: () => number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffled(v, random));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).map(([k, v]) => [k, shuffled(v, random)] as const);
  for (let i = entries.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [entries[i], entries[j]] = [entries[j], entries[i]];
  }
  return Object.fromEntries(entries);
}

/** Every path to a value inside a JSON value. */
function pathsOf(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  const here = at.length > 0 ? [at] : [];
  if (typeof value !== 'object' || value === null) return here;
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [...here, ...keys.flatMap((k) => pathsOf((value as Record<string | number, unknown>)[k], [...at, k]))];
}

const REPLACEMENTS: unknown[] = [undefined, null, 0, 1, -0, 2.5, '', ' ', 'x', '#patient-0', '#practitioner-0', 'Patient', 'Practitioner',
  'official', '2026-11-16', '2026-11-17', '2024-02-29', '2025-02-29', '123456789', true, false, [], {}, [{}], { reference: '#patient-0' }];

/** The Group with one value somewhere replaced by another (or removed). */
function edited(group: unknown, pick: number, replacement: number): unknown {
  const copy = JSON.parse(JSON.stringify(group)) as Record<string, unknown>;
  const paths = pathsOf(copy);
  const path = paths[pick % paths.length];
  let parent: Record<string | number, unknown> = copy;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  const value = REPLACEMENTS[replacement % REPLACEMENTS.length];
  if (value === undefined && !Array.isArray(parent)) delete parent[last];
  else parent[last] = value ?? null;
  return copy;
}

const BYTES = [0x22, 0x5c, 0x2c, 0x7b, 0x7d, 0x5b, 0x5d, 0x3a, 0x20, 0x0a, 0x30, 0x39, 0x2d, 0x2e, 0x65, 0x61, 0x75, 0x80, 0xc3, 0x01, 0x00];

/** The text with a few bytes removed, inserted or replaced, or a key repeated. */
function mutated(bytes: Buffer, edits: [number, number, number][]): Buffer {
  let out = Buffer.from(bytes);
  for (const [where, kind, byte] of edits) {
    const at = where % (out.length + 1);
    const b = Buffer.from([BYTES[byte % BYTES.length]]);
    if (kind === 0) out = Buffer.concat([out.subarray(0, at), out.subarray(at + 1)]);
    else if (kind === 1) out = Buffer.concat([out.subarray(0, at), b, out.subarray(at)]);
    else if (kind === 2 && at < out.length) out[at] = b[0];
    else {
      // a key repeated: JSON.parse keeps the last one
      const open = out.indexOf('{"', at);
      const key = ['"resourceType":"Group",', '"member":[],', '"id":"patient-0",', '"reference":"#patient-0",', '"start":"2026-01-01",', '"meta":{},'][byte % 6];
      if (open >= 0) out = Buffer.concat([out.subarray(0, open + 1), Buffer.from(key), out.subarray(open + 1)]);
    }
  }
  return out;
}

/** Whatever the quick reader accepts, the general way finds valid, with the same facts. */
function agrees(bytes: Buffer): boolean {
  const accepted = acceptedMessage(bytes);
  const full = readInFull(bytes);
  if (accepted === null) return false;
  assert.equal(full.problems, [], `accepted a message with problems: ${full.problems.slice(0, 3).join('; ')}`);
  assert.equal(facts(accepted), facts({ panelNumber: full.panelNumber, patientCount: full.patientCount, members: full.members }));
  return true;
}

/** A receipt's facts with its members read out in full, as the registry would read them. */
function facts<T extends { members?: SubmittedMembers }>({ members, ...rest }: T) {
  return { ...rest, members: members && Array.from({ length: members.count }, (_, i) => ({ ...members.member(i), byUli: members.uliNumber(i) })) };
}

const accept = suite('the simulator accepting a message without parsing it whole');

accept('accepts the valid messages, however written, with the facts JSON.parse would give', () => {
  fc.assert(fc.property(validSnapshot, fc.integer({ min: 1, max: 2 ** 40 }), fc.integer(), (s, id, seed) => {
    const group = buildCparGroup(s, id);
    let state = seed;
    const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 + 1) % 1;
    assert.ok(agrees(encodeCparGroup(s, id)), 'the portal\'s own message');
    assert.ok(agrees(Buffer.from(JSON.stringify(group))), 'UTF-8 rather than \\u escapes');
    assert.ok(agrees(Buffer.from(JSON.stringify(group, null, random() < 0.5 ? 2 : '\t'))), 'indented');
    agrees(Buffer.from(JSON.stringify(shuffled(group, random))));
    assert.equal(facts(readReceipt(encodeCparGroup(s, id))), facts(readInFull(encodeCparGroup(s, id))));
  }), runs(300));
});

accept('accepts nothing the general way would refuse: broken snapshots, edited values, broken bytes', () => {
  let acceptedCount = 0;
  fc.assert(fc.property(fc.oneof(validSnapshot, snapshot), fc.nat(), fc.nat(),
    fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.nat()), { minLength: 1, maxLength: 3 }), (s, pick, replacement, edits) => {
      const group = buildCparGroup(s, 7);
      const bytes = encodeCparGroup(s, 7);
      if (agrees(bytes)) acceptedCount++;
      agrees(Buffer.from(JSON.stringify(edited(group, pick, replacement))));
      agrees(mutated(bytes, edits));
      assert.equal(facts(readReceipt(bytes)), facts(readInFull(bytes)));
    }), runs(1500));
  assert.ok(acceptedCount > 100, `only ${acceptedCount} messages accepted: the property tested little`);
});

accept('refuses to settle what it cannot tell, and the general way answers', () => {
  const s: PanelSnapshot = {
    panelId: 1, panelName: 'P', panelNumber: 'CPAR-1', practitioners: [{ name: 'Dr A', practitionerId: '1' }], takenAt: new Date('2026-11-16T04:00:00Z'),
    patients: [{ patientId: 1, uli: '123456789', lastName: 'A', firstName: 'B', birthDate: '1970-01-01', gender: 'F', lastVisitOn: '2026-01-01', confirmedOn: '2025-01-01' }],
  };
  const text = encodeCparGroup(s, 1).toString('latin1');
  assert.ok(acceptedMessage(Buffer.from(text)));
  for (const changed of [
    text.replace('"member":[', '"member":[{"entity":{"reference":"#patient-0"},"period":{"start":"2025-01-01"},"extension":[{"url":"x","valueDate":"2026-01-01"}]},'),
    text.replace('"resourceType":"Group"', '"resourceType":"Group","resourceType":"Group"'),
    text.replace('"id":"patient-0"', '"id":"patient-0","id":"patient-0"'),
    text.replace('"resourceType":"Group"', '"resource\\u0054ype":"Group"'),
    `${text} x`,
    text.slice(0, -1),
    text.replace('"start":"2025-01-01"', '"start":"2026-11-17"'),
    text.replace('"quantity":1', '"quantity":2'),
  ]) {
    assert.is(acceptedMessage(Buffer.from(changed)), null, changed.slice(0, 80));
    assert.equal(facts(readReceipt(Buffer.from(changed))), facts(readInFull(Buffer.from(changed))));
  }
  // What the quick reader leaves to the general way is still answered there.
  assert.ok(readReceipt(Buffer.from(text.replace('"member":[', '"member" : ['))).problems.length === 0);
  const odd = readReceipt(Buffer.from(text.replace('"identifier":[', '"identifier":[null,7,')));
  assert.equal([odd.problems, odd.panelNumber, odd.patientCount], [[], 'CPAR-1', 1], 'other things in the identifier list');
});

accept.run();
