import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createNetcareClient } from '../../src/netcare/client.ts';
import { buildCparGroup } from '../../src/netcare/payload.ts';
import { messageFromGroup } from '../../src/netcare/encode.ts';
import { buildRegistryOutcome, readRegistryOutcome } from '../../src/netcare/registry-outcome.ts';
import { membersOfGroup } from '../../src/netcare-sim/members.ts';
import { judgePanel, type RegistryConfig, type SubmittedMember, type SubmittedMembers } from '../../src/netcare-sim/registry.ts';
import { healthInformation, panelSnapshot, PATIENTS, setFault, startTestSimulator } from './support/simulator.ts';

const ALWAYS: RegistryConfig = { seed: 7, mismatchShare: 1, conflictShare: 1 };
const uliOf = (n: number) => String(100_000_000 + n * 7919);
const member = (n: number, changes: Partial<SubmittedMember> = {}): SubmittedMember => ({
  uli: uliOf(n), family: 'Okafor', given: 'Adaeze', birthDate: '1984-03-15', gender: 'female', confirmedOn: '2020-01-01', ...changes,
});
const panelOf = (members: SubmittedMember[], day = '2026-11-15'): SubmittedMembers => ({ count: members.length, day, uliNumber: (i) => Number(members[i].uli), member: (i) => members[i] });

const registry = suite('the simulated registry');

registry('the same patient gets the same answer every month', () => {
  const panel = panelOf(Array.from({ length: 200 }, (_, n) => member(n)));
  const config = { ...ALWAYS, mismatchShare: 0.3, conflictShare: 0.3 };
  assert.equal(judgePanel(config, panel), judgePanel(config, panel));
  assert.not.equal(judgePanel(config, panel), judgePanel({ ...config, seed: 8 }, panel), 'another seed, another registry');
});

registry('a clinic that corrects its record to the registry\'s is no longer reported; the others still are', () => {
  const members = Array.from({ length: 60 }, (_, n) => member(n, { family: 'Smith', given: 'Nell', birthDate: '1971-01-31' }));
  const first = judgePanel({ ...ALWAYS, conflictShare: 0 }, panelOf(members));
  const mismatches = first.findings.flatMap((f) => (f.kind === 'mismatch' ? [f] : []));
  assert.ok(mismatches.length > 30, `${mismatches.length} mismatches`);
  assert.is(first.counted, 60 - mismatches.length, 'a mismatched patient is not counted');
  const fieldKey = { lastName: 'family', firstName: 'given', birthDate: 'birthDate', gender: 'gender' } as const;
  const corrected = members.map((m, i) => {
    const found = mismatches.find((f) => f.member === i);
    return found && i % 2 === 0 ? { ...m, [fieldKey[found.fields[0].field]]: found.fields[0].registry } : m;
  });
  const next = judgePanel({ ...ALWAYS, conflictShare: 0 }, panelOf(corrected));
  assert.equal(next.findings.map((f) => f.member), mismatches.filter((f) => f.member % 2 === 1).map((f) => f.member));
});

registry('a conflict stays while the other attachment is as new as ours, and ends when ours is newer', () => {
  const old = judgePanel({ ...ALWAYS, mismatchShare: 0 }, panelOf([member(1)]));
  assert.is(old.findings.length, 1);
  const other = old.findings[0];
  assert.is(other.kind, 'conflict');
  assert.is(old.counted, 1, 'a conflicted patient is still counted');
  const since = other.kind === 'conflict' ? other.confirmedOn : '';
  assert.is(judgePanel({ ...ALWAYS, mismatchShare: 0 }, panelOf([member(1, { confirmedOn: since })])).findings.length, 1);
  const dayAfter = new Date(Date.parse(since) + 86_400_000).toISOString().slice(0, 10);
  assert.is(judgePanel({ ...ALWAYS, mismatchShare: 0 }, panelOf([member(1, { confirmedOn: dayAfter })])).findings.length, 0);
});

registry('the other provider confirms once a year: the registry\'s date is within the year before the day sent, and moves only when that day comes round again', () => {
  const members = Array.from({ length: 300 }, (_, n) => member(n, { confirmedOn: '2000-01-01' }));
  const onDay = (day: string) => new Map(judgePanel({ ...ALWAYS, mismatchShare: 0 }, panelOf(members, day)).findings
    .map((f) => [f.uli, f.kind === 'conflict' ? f.confirmedOn : ''] as const));
  const days = ['2026-11-15', '2026-12-15', '2027-11-15', '2031-03-15'];
  const [november, december, nextNovember, later] = days.map(onDay);
  for (const [day, dates] of [[days[0], november], [days[3], later]] as const) {
    assert.is(dates.size, members.length, 'every member reported: ours were confirmed long ago');
    for (const confirmed of dates.values()) {
      const age = (Date.parse(day) - Date.parse(confirmed)) / 86_400_000;
      assert.ok(age >= 0 && age < 366, `${confirmed} is within the year before ${day}`);
    }
  }
  let moved = 0;
  for (const [uli, confirmed] of november) {
    const inDecember = december.get(uli)!;
    if (inDecember !== confirmed) {
      moved++;
      assert.ok(inDecember > '2026-11-15' && inDecember <= '2026-12-15', `${confirmed} moved to ${inDecember}, inside the month`);
    }
    assert.is(nextNovember.get(uli), `${Number(confirmed.slice(0, 4)) + 1}${confirmed.slice(4)}`, 'a year on, the same day of the next year');
  }
  assert.ok(moved > 0 && moved < members.length / 5, `${moved} of ${members.length} confirmed again within the month`);
});

registry('the shares hold over a province of ULIs', () => {
  const count = 100_000;
  const panel = panelOf(Array.from({ length: count }, (_, n) => member(n)));
  const { findings } = judgePanel({ seed: 2026, mismatchShare: 0.02, conflictShare: 0.03 }, panel);
  const share = (kind: string) => findings.filter((f) => f.kind === kind).length / count;
  // a chosen record already in the registry's form matches: a little under the share
  assert.ok(share('mismatch') > 0.014 && share('mismatch') < 0.021, `mismatch ${share('mismatch')}`);
  assert.ok(share('conflict') > 0.027 && share('conflict') < 0.033, `conflict ${share('conflict')}`);
});

registry.run();

const wire = suite('the registry outcome on the wire');
const group = buildCparGroup(panelSnapshot(), 1);
const judged = judgePanel(ALWAYS, membersOfGroup(group));

wire('what the simulator writes, the adapter reads back, genders in the portal\'s codes', () => {
  const read = readRegistryOutcome(JSON.parse(JSON.stringify(buildRegistryOutcome(judged.counted, 4, judged.findings))));
  assert.ok(read.ok);
  if (!read.ok) return;
  assert.is(read.outcome.counted, judged.counted);
  assert.equal(read.outcome.exceptions.map((e) => [e.member, e.uli, e.kind]), judged.findings.map((f) => [f.member, f.uli, f.kind]));
  for (const e of read.outcome.exceptions) {
    if (e.kind === 'mismatch' && e.fields[0].field === 'gender') assert.match(e.fields[0].registry, /^[FMXU]$/);
  }
});

wire('a malformed outcome is refused with the path of its first problem, never a value', () => {
  const good = () => JSON.parse(JSON.stringify(buildRegistryOutcome(judged.counted, 4, judged.findings)));
  const breakages: [string, (o: any) => void][] = [
    ['no count', (o) => { o.extension = []; }],
    ['a negative count', (o) => { o.extension[0].valueInteger = -1; }],
    ['an issue pointing nowhere', (o) => { o.issue[1].expression = ['Group.contained[3]']; }],
    ['a ULI of 8 digits', (o) => { o.issue[1].extension[0].valueIdentifier.value = '12345678'; }],
    ['an unknown finding', (o) => { o.issue[1].details.coding[0].code = 'other'; }],
    ['a conflict without its attachment', (o) => { o.issue.find((i: any) => i.details?.coding?.[0].code === 'panel-conflict').extension.pop(); }],
    ['a mismatch of an unknown field', (o) => { o.issue.find((i: any) => i.details?.coding?.[0].code === 'demographic-mismatch').extension[1].extension[0].valueCode = 'address'; }],
    ['issues not a list', (o) => { o.issue = {}; }],
  ];
  for (const [name, breakIt] of breakages) {
    const outcome = good();
    breakIt(outcome);
    const read = readRegistryOutcome(outcome);
    assert.not.ok(read.ok, name);
    const problem = read.ok ? '' : read.problem;
    assert.match(problem, /^outcome/, name);
    for (const value of healthInformation()) assert.not.match(problem, value, name);
  }
  assert.not.ok(readRegistryOutcome(undefined).ok, 'no outcome at all');
});

wire('a problem names the issue it is in and where, counted from the start', () => {
  const outcome = JSON.parse(JSON.stringify(buildRegistryOutcome(judged.counted, 4, judged.findings)));
  const last = outcome.issue.length - 1;
  outcome.issue[last].expression = ['Group.member[x]'];
  assert.equal(readRegistryOutcome(outcome), { ok: false, problem: `outcome.issue[${last}].expression: must point at one Group.member` });
  const mismatchAt = outcome.issue.findIndex((i: any) => i.details?.coding?.[0].code === 'demographic-mismatch');
  const second = JSON.parse(JSON.stringify(buildRegistryOutcome(judged.counted, 4, judged.findings)));
  second.issue[mismatchAt].extension[1].extension[2].valueString = '';
  assert.equal(readRegistryOutcome(second), { ok: false, problem: `outcome.issue[${mismatchAt}].extension(difference 0): registry must be 1 to 255 characters` });
});

wire.run();

const answer = suite('the simulator confirms with the registry outcome');

answer('the status answer carries the outcome the registry derives; a garbled one keeps it unsettled, logged without patient data', async () => {
  const sim = await startTestSimulator({ confirmDelayMs: 0, registry: ALWAYS });
  const warnings: string[] = [];
  const client = createNetcareClient({ baseUrl: sim.url, timeoutMs: 500, retryBudgetMs: 1000, baseDelayMs: 10, warn: (l) => warnings.push(l) });
  try {
    const sent = await client.submit(messageFromGroup(group), 'key-registry');
    const reference = sent.kind === 'accepted' ? sent.reference : '';
    const status = await client.status(reference);
    assert.is(status.kind, 'confirmed');
    if (status.kind !== 'confirmed') return;
    assert.is(status.registry.counted, judged.counted);
    assert.equal(status.registry.exceptions.map((e) => [e.uli, e.kind]), judged.findings.map((f) => [f.uli, f.kind]));
    assert.ok(status.registry.exceptions.some((e) => e.kind === 'conflict'), 'a conflict for the patients confirmed long ago');
    assert.ok(PATIENTS.some((p) => status.registry.exceptions.some((e) => e.uli === p.uli)));

    await setFault(sim.url, { mode: 'garble', count: 1 });
    const garbled = await client.status(reference);
    assert.is(garbled.kind, 'unreachable');
    assert.match(garbled.kind === 'unreachable' ? garbled.detail : '', 'registry outcome could not be read');
    assert.is(warnings.length, 1);
    for (const value of healthInformation()) assert.not.match(warnings[0], value);
    assert.is((await client.status(reference)).kind, 'confirmed', 'asked again, it is read');
  } finally {
    await sim.close();
  }
});

answer.run();
