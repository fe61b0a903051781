import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Db } from '../../../src/domain/database/db.ts';
import { ManualClock } from '../../../src/domain/time/clock.ts';
import { reserveSignInAttempt, type Reservation } from '../../../src/domain/people/sign-in-throttle.ts';
import { refusedUntil as until, THROTTLE, type ThrottlePolicy } from '../../../src/domain/people/sign-in-policy.ts';
import { freshDb, addUser, count } from '../../support/app.ts';

const test = suite('sign-in throttle: limits and delays');
const START = '2026-11-10T12:00:00-07:00';
const T0 = new Date(START).getTime();
// The limits alone: a delay that never starts.
const NO_DELAY: ThrottlePolicy = { ...THROTTLE, freeFailures: 1_000 };

let db: Db;
let clock: ManualClock;
test.before.each(async () => {
  db = await freshDb();
  await addUser(db, 'admin');
  clock = new ManualClock(START);
});

const attempt = (address: string, policy = THROTTLE, username = 'admin') => reserveSignInAttempt(db, clock, username, address, policy);
const refusedUntil = (r: Reservation) => (r.ok ? null : r.until.getTime() - T0);

test('five failures for a username from one address refuse that pair for the window; another address goes on', async () => {
  for (let i = 0; i < 5; i++) {
    assert.ok((await attempt('10.0.0.1', NO_DELAY)).ok);
    clock.advance(60_000);
  }
  // 12:05: refused until the first failure (12:00) leaves the 15-minute window.
  assert.is(refusedUntil(await attempt('10.0.0.1', NO_DELAY)), 15 * 60_000);
  assert.ok((await attempt('10.0.0.2', NO_DELAY)).ok);
  clock.set(new Date(T0 + 15 * 60_000 - 1));
  assert.not.ok((await attempt('10.0.0.1', NO_DELAY)).ok);
  clock.advance(1);
  assert.ok((await attempt('10.0.0.1', NO_DELAY)).ok);
});

test('a refused attempt is no guess: hammering a refused pair neither extends it nor counts for the username', async () => {
  for (let i = 0; i < 5; i++) await attempt('10.0.0.1', NO_DELAY);
  for (let i = 0; i < 50; i++) assert.is(refusedUntil(await attempt('10.0.0.1', NO_DELAY)), 15 * 60_000);
  assert.is(await count(db, 'SELECT count(*) FROM sign_in_attempts WHERE refused = 1'), 50);
  clock.advance(15 * 60_000);
  assert.ok((await attempt('10.0.0.1', NO_DELAY)).ok);
});

test('the username alone is refused only past its higher limit, from failures at many addresses', async () => {
  for (let i = 0; i < THROTTLE.perUsername; i++) {
    assert.ok((await attempt(`10.0.1.${i % 7}`, NO_DELAY)).ok, `failure ${i + 1}`);
    clock.advance(10_000);
  }
  assert.is(refusedUntil(await attempt('10.0.9.9', NO_DELAY)), 15 * 60_000, 'from an address that never failed');
  assert.ok((await attempt('10.0.9.9', NO_DELAY, 'someone-else')).ok, 'other usernames are not touched');
});

test('past the free failures each attempt waits a delay that doubles with the count, capped', async () => {
  const waits: number[] = [];
  for (let i = 0; i < 10; i++) {
    const last = clock.now().getTime();
    let r = await attempt(`10.0.2.${i}`);
    if (!r.ok) {
      waits.push(r.until.getTime() - last);
      clock.set(new Date(r.until.getTime() - 1));
      assert.not.ok((await attempt(`10.0.2.${i}`)).ok, 'not a millisecond early');
      clock.advance(1);
      r = await attempt(`10.0.2.${i}`);
    } else waits.push(0);
    assert.ok(r.ok);
  }
  assert.equal(waits, [0, 0, 0, 1000, 2000, 4000, 8000, 16000, 30000, 30000]);
});

test('an unknown username is throttled exactly like a real one', async () => {
  const answers = [];
  for (const name of ['admin', 'nobody']) {
    clock.set(START);
    for (let i = 0; i < 3; i++) await attempt('10.0.3.1', THROTTLE, name);
    answers.push(refusedUntil(await attempt('10.0.3.1', THROTTLE, name)));
  }
  assert.equal(answers, [1000, 1000]);
});

test('100 concurrent attempts for one pair: exactly the pair’s limit are let through to be checked', async () => {
  const results = await Promise.all(Array.from({ length: 100 }, () => attempt('10.0.4.1', NO_DELAY)));
  assert.is(results.filter((r) => r.ok).length, THROTTLE.perPair);
});

test('100 concurrent attempts for one username from 100 addresses: exactly the username’s limit are let through', async () => {
  const results = await Promise.all(Array.from({ length: 100 }, (_, i) => attempt(`10.0.5.${i}`, NO_DELAY)));
  assert.is(results.filter((r) => r.ok).length, THROTTLE.perUsername);
});

test('when more failures count than a limit (concurrent attempts), the refusal lasts until enough have left the window', () => {
  const minute = 60_000;
  const pair = [0, 1, 2, 3, 4, 5, 6].map((m) => ({ at: m * minute, address: '10.0.6.1' }));
  // Seven for a limit of five: it ends when the third leaves, so only four remain.
  assert.is(until(pair, NO_DELAY, '10.0.6.1'), 2 * minute + THROTTLE.windowMs);
  assert.is(until(pair, NO_DELAY, '10.0.6.2'), 6 * minute, 'another address: only the delay after the last failure (none here)');
});

test.run();
