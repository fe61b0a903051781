import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Cron } from 'croner';
import { dueRuns, MONTHLY_JOB, QUEUED_JOB } from '../../../src/domain/pipeline/runs.ts';
import { SEND_PATTERN } from '../../../src/domain/pipeline/send-time.ts';
import { edmontonParts, TIME_ZONE } from '../../../src/domain/time/edmonton.ts';

const schedule = suite('schedule');

function runsOver(from: string, to: string, stepMs: number) {
  const seen = new Map<string, { job: string; at: Date }>();
  for (let t = new Date(from).getTime(); t < new Date(to).getTime(); t += stepMs) {
    for (const due of dueRuns(new Date(t))) seen.set(`${due.job}@${due.scheduledFor.toISOString()}`, { job: due.job, at: due.scheduledFor });
  }
  return [...seen.values()];
}

// Hourly steps land on every 21:00, in MST and MDT alike (offsets change by whole hours).
const yearRuns = runsOver('2027-01-01T00:00:00-07:00', '2028-01-01T00:00:00-07:00', 3600_000)
  .filter((r) => r.at >= new Date('2027-01-01T00:00:00-07:00'));

schedule('a whole Edmonton year has exactly 12 monthly runs, each the 15th at 21:00 local', () => {
  const runs = yearRuns.filter((r) => r.job === MONTHLY_JOB);
  assert.is(runs.length, 12);
  for (const r of runs) {
    const local = edmontonParts(r.at);
    assert.is(local.day, 15);
    assert.is(local.hour, 21);
    assert.is(local.minute, 0);
  }
  assert.equal(runs.map((r) => edmontonParts(r.at).month), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  // Winter runs are 04:00Z on the 16th, summer (MDT) ones 03:00Z.
  assert.is(runs[0].at.toISOString(), '2027-01-16T04:00:00.000Z');
  assert.is(runs[2].at.toISOString(), '2027-03-16T03:00:00.000Z'); // after DST starts (14 March 2027)
  assert.is(runs[10].at.toISOString(), '2027-11-16T04:00:00.000Z'); // after DST ends (7 November 2027)
});

schedule('queued panels go out at 21:00 on the 1st–14th and 16th–21st, never after the 21st', () => {
  const runs = yearRuns.filter((r) => r.job === QUEUED_JOB);
  assert.is(runs.length, 12 * 20);
  for (const r of runs) {
    const local = edmontonParts(r.at);
    assert.ok(local.day <= 21 && local.day !== 15, `day ${local.day}`);
    assert.is(local.hour, 21);
  }
});

schedule('from the 22nd to the next month’s 15th only the latest monthly run is owed, and no daily send', () => {
  const march = '2027-03-16T03:00:00.000Z';
  for (const at of ['2027-03-25T21:30:00-06:00', '2027-04-01T10:00:00-06:00']) {
    assert.equal(dueRuns(new Date(at)).map((d) => [d.job, d.scheduledFor.toISOString()]), [[MONTHLY_JOB, march]], at);
  }
  // From 21:00 on the 1st, the 1st's send is owed too; March's run until April's is due.
  assert.equal(dueRuns(new Date('2027-04-15T20:59:00-06:00')).map((d) => [d.job, d.scheduledFor.toISOString()]),
    [[MONTHLY_JOB, march], [QUEUED_JOB, '2027-04-15T03:00:00.000Z']]);
  assert.equal(dueRuns(new Date('2027-04-15T21:00:00-06:00')).map((d) => d.scheduledFor.toISOString()), ['2027-04-16T03:00:00.000Z']);
});

schedule('a daily send missed is owed on every later send day of its month, the latest one covering it', () => {
  const due = dueRuns(new Date('2027-04-10T08:00:00-06:00'));
  assert.equal(due.map((d) => [d.job, d.scheduledFor.toISOString()]),
    [[MONTHLY_JOB, '2027-03-16T03:00:00.000Z'], [QUEUED_JOB, '2027-04-10T03:00:00.000Z']]);
  assert.equal(dueRuns(new Date('2027-04-21T23:59:00-06:00')).map((d) => d.job), [MONTHLY_JOB, QUEUED_JOB]);
  assert.equal(dueRuns(new Date('2027-04-22T00:00:00-06:00')).map((d) => d.job), [MONTHLY_JOB]);
});

schedule('a monthly run due before the portal was in service is not owed', () => {
  const at = new Date('2027-04-10T08:00:00-06:00');
  assert.equal(dueRuns(at, new Date('2027-04-01T00:00:00-06:00')).map((d) => d.job), [QUEUED_JOB]);
  assert.equal(dueRuns(at, new Date('2027-03-15T21:04:00-06:00')).map((d) => d.job), [MONTHLY_JOB, QUEUED_JOB], 'within the start grace');
});

schedule('the month a run belongs to is the Edmonton month, not the UTC one', () => {
  // 2027-01-31 22:00 Edmonton is already February in UTC: January's run is still the one due.
  const due = dueRuns(new Date('2027-02-01T05:00:00Z'));
  assert.equal(due.map((d) => d.scheduledFor.toISOString()), ['2027-01-16T04:00:00.000Z']);
});

schedule('the croner pattern fires at 21:00 Edmonton on the 1st–21st across DST', () => {
  const cron = new Cron(SEND_PATTERN, { timezone: TIME_ZONE, paused: true });
  const fires = cron.nextRuns(21 * 12, new Date('2026-12-31T23:00:00-07:00'));
  assert.is(fires.length, 252);
  assert.ok(fires.every((f) => edmontonParts(f).hour === 21 && edmontonParts(f).day <= 21));
  assert.is(edmontonParts(fires[251]).month, 12);
});

schedule.run();
