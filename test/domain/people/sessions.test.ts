import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Db } from '../../../src/domain/database/db.ts';
import { ManualClock } from '../../../src/domain/time/clock.ts';
import { createSession, validateSession, deleteSession } from '../../../src/domain/people/sessions.ts';
import { freshDb, addUser, count } from '../../support/app.ts';

const sessions = suite('sessions');
let db: Db;
let userId: number;
sessions.before(async () => {
  db = await freshDb();
  userId = await addUser(db, 'session-user');
});

const MINUTE = 60_000;

sessions('the database keeps a hash of the secret, never the token', async () => {
  const clock = new ManualClock('2026-11-10T09:00:00-07:00');
  const { token, session } = await createSession(db, clock, userId);
  const [id, secret] = token.split('.');
  assert.is(session.id, id);
  assert.ok(secret.length >= 24);
  const row = await db.execute({ sql: 'SELECT * FROM sessions WHERE id = ?', args: [id] });
  assert.not.ok(JSON.stringify(row.rows[0]).includes(secret));
  assert.is(await count(db, 'SELECT count(*) FROM sessions WHERE id = ? AND length(secret_hash) = 32', [id]), 1);
});

sessions('a wrong secret for a real id is refused', async () => {
  const clock = new ManualClock('2026-11-10T09:00:00-07:00');
  const { token } = await createSession(db, clock, userId);
  assert.is(await validateSession(db, clock, `${token.split('.')[0]}.wrongsecretwrongsecretwrong`), null);
  assert.is(await validateSession(db, clock, 'garbage'), null);
});

sessions('idle for 30 minutes ends the session', async () => {
  const clock = new ManualClock('2026-11-10T09:00:00-07:00');
  const { token } = await createSession(db, clock, userId);
  clock.advance(29 * MINUTE);
  assert.ok(await validateSession(db, clock, token));
  clock.advance(29 * MINUTE); // active 29 minutes ago: still alive
  assert.ok(await validateSession(db, clock, token));
  clock.advance(30 * MINUTE);
  assert.is(await validateSession(db, clock, token), null);
  assert.is(await count(db, 'SELECT count(*) FROM sessions WHERE id = ?', [token.split('.')[0]]), 0);
});

sessions('12 hours after sign-in the session ends however active it was', async () => {
  const clock = new ManualClock('2026-11-10T09:00:00-07:00');
  const { token } = await createSession(db, clock, userId);
  for (let i = 0; i < 47; i++) {
    clock.advance(15 * MINUTE);
    assert.ok(await validateSession(db, clock, token), `alive after ${(i + 1) * 15} minutes`);
  }
  clock.advance(15 * MINUTE); // 12:00 since sign-in
  assert.is(await validateSession(db, clock, token), null);
});

sessions('a deleted session is gone', async () => {
  const clock = new ManualClock('2026-11-10T09:00:00-07:00');
  const { token, session } = await createSession(db, clock, userId);
  await deleteSession(db, session.id);
  assert.is(await validateSession(db, clock, token), null);
});

sessions.run();
