import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { nextSendTime } from '../../../src/domain/pipeline/send-time.ts';

const sendTime = suite('nextSendTime');
const at = (iso: string) => nextSendTime(new Date(iso));

sendTime('queued before 21:00 on an allowed day goes tonight', () => {
  const s = at('2026-11-10T12:00:00-07:00');
  assert.is(s.at.toISOString(), '2026-11-11T04:00:00.000Z');
  assert.is(s.label, '21:00 tonight');
  assert.is(s.monthlyRun, false);
});

sendTime('queued after 21:00 goes the next allowed day', () => {
  const s = at('2026-11-10T21:00:00-07:00');
  assert.is(s.at.toISOString(), '2026-11-12T04:00:00.000Z');
  assert.is(s.label, 'Wed 11 November 21:00');
});

sendTime('on the 15th before 21:00 it joins the monthly run', () => {
  const s = at('2026-11-15T08:00:00-07:00');
  assert.is(s.at.toISOString(), '2026-11-16T04:00:00.000Z');
  assert.ok(s.monthlyRun);
  assert.is(s.label, '21:00 tonight, with the monthly run');
});

sendTime('on the 14th after 21:00 it waits for the monthly run of the 15th', () => {
  const s = at('2026-11-14T22:30:00-07:00');
  assert.is(s.at.toISOString(), '2026-11-16T04:00:00.000Z');
  assert.ok(s.monthlyRun);
});

sendTime('on the 15th after 21:00 it goes on the 16th', () => {
  const s = at('2026-11-15T21:30:00-07:00');
  assert.is(s.at.toISOString(), '2026-11-17T04:00:00.000Z');
  assert.is(s.monthlyRun, false);
});

sendTime('the 21st before 21:00 is still tonight; after it, the 1st of next month', () => {
  assert.is(at('2026-11-21T20:59:00-07:00').label, '21:00 tonight');
  const late = at('2026-11-21T21:00:00-07:00');
  assert.is(late.at.toISOString(), '2026-12-02T04:00:00.000Z');
  assert.is(late.label, '1 December 21:00');
});

sendTime('from the 22nd to the month end it waits for the 1st', () => {
  assert.is(at('2026-11-22T09:00:00-07:00').label, '1 December 21:00');
  assert.is(at('2026-11-30T23:59:00-07:00').at.toISOString(), '2026-12-02T04:00:00.000Z');
});

sendTime('across the year end', () => {
  const s = at('2026-12-31T23:00:00-07:00');
  assert.is(s.at.toISOString(), '2027-01-02T04:00:00.000Z');
  assert.is(s.label, '1 January 21:00');
});

sendTime('an Edmonton evening that is already the next UTC day counts as the Edmonton day', () => {
  // 2026-11-21 20:00 Edmonton is 2026-11-22T03:00Z: still the 21st here, so it goes tonight.
  assert.is(at('2026-11-22T03:00:00Z').label, '21:00 tonight');
});

sendTime('DST starts (8 March 2026): 21:00 is MDT, 03:00Z', () => {
  const s = at('2026-03-08T01:00:00-07:00');
  assert.is(s.at.toISOString(), '2026-03-09T03:00:00.000Z');
  assert.is(s.label, '21:00 tonight');
  assert.is(at('2026-03-07T22:00:00-07:00').at.toISOString(), '2026-03-09T03:00:00.000Z');
});

sendTime('DST ends (1 November 2026): 21:00 is MST, 04:00Z', () => {
  const s = at('2026-11-01T01:30:00-06:00');
  assert.is(s.at.toISOString(), '2026-11-02T04:00:00.000Z');
  assert.is(s.label, '21:00 tonight');
  assert.is(at('2026-10-31T22:00:00-06:00').label, '1 November 21:00');
});

sendTime.run();
