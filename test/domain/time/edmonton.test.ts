import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { edmontonParts, edmontonInstant } from '../../../src/domain/time/edmonton.ts';

const edmonton = suite('Edmonton calendar');
const reference = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Edmonton', year: 'numeric', month: 'numeric',
  day: 'numeric', hour: 'numeric', minute: 'numeric', weekday: 'short', hourCycle: 'h23' });

edmonton('local parts agree with Intl at every step across two years and four DST changes', () => {
  for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2028, 0, 1); t += 37 * 60_000 + 11_000) {
    const at = new Date(t);
    const p: Record<string, string> = {};
    for (const x of reference.formatToParts(at)) p[x.type] = x.value;
    const e = edmontonParts(at);
    assert.equal([e.year, e.month, e.day, e.hour, e.minute, e.weekday],
      [+p.year, +p.month, +p.day, +p.hour, +p.minute, p.weekday.replace('.', '')], at.toISOString());
  }
});

edmonton('the minutes around the DST changes', () => {
  assert.equal(edmontonParts(new Date('2026-03-08T08:59:00Z')).hour, 1); // 01:59 MST
  assert.equal(edmontonParts(new Date('2026-03-08T09:00:00Z')).hour, 3); // 03:00 MDT
  assert.equal(edmontonParts(new Date('2026-11-01T07:59:00Z')).hour, 1); // 01:59 MDT
  assert.equal(edmontonParts(new Date('2026-11-01T08:00:00Z')).hour, 1); // 01:00 MST, again
  assert.is(edmontonInstant(2026, 11, 15, 21).toISOString(), '2026-11-16T04:00:00.000Z');
  assert.is(edmontonInstant(2026, 7, 15, 21).toISOString(), '2026-07-16T03:00:00.000Z');
});

edmonton('a wall-clock time that happens twice (fall back) is its earlier instant; one that never happens (spring forward) is the instant after the gap', () => {
  // 1 November 2026: 01:30 MDT (07:30Z), then 01:30 MST (08:30Z).
  assert.is(edmontonInstant(2026, 11, 1, 1, 30).toISOString(), '2026-11-01T07:30:00.000Z');
  assert.is(edmontonInstant(2026, 11, 1, 1, 0).toISOString(), '2026-11-01T07:00:00.000Z');
  assert.is(edmontonInstant(2026, 11, 1, 2, 0).toISOString(), '2026-11-01T09:00:00.000Z');
  assert.is(edmontonInstant(2026, 11, 1, 0, 59).toISOString(), '2026-11-01T06:59:00.000Z');
  // 8 March 2026: 02:00–02:59 does not exist; 02:30 is read as standard time, 03:30 MDT.
  assert.is(edmontonInstant(2026, 3, 8, 2, 30).toISOString(), '2026-03-08T09:30:00.000Z');
  assert.is(edmontonInstant(2026, 3, 8, 3, 0).toISOString(), '2026-03-08T09:00:00.000Z');
  assert.is(edmontonInstant(2026, 3, 8, 1, 59).toISOString(), '2026-03-08T08:59:00.000Z');
  // Every minute of two years agrees with edmontonParts, the earlier of two where there are two.
  for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2028, 0, 1); t += 17 * 60_000) {
    const p = edmontonParts(new Date(t));
    const back = edmontonInstant(p.year, p.month, p.day, p.hour, p.minute).getTime();
    assert.ok(back === t || back === t - 3_600_000, `${new Date(t).toISOString()} came back as ${new Date(back).toISOString()}`);
    if (back !== t) assert.equal(edmontonParts(new Date(back)), p);
  }
});

edmonton.run();
