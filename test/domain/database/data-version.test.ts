// Issue 16: what a page read is kept under the data's version (migration 025) and loaded
// again once a trigger moved it; a failed load is not kept; the oldest key goes when full.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { atDataVersion, dataVersion } from '../../../src/domain/database/data-version.ts';
import { freshDb } from '../../support/app.ts';

const kept = suite('kept at the data version');

kept('loaded once per version; a write to a table the pages read moves it, one they do not read leaves it', async () => {
  const db = await freshDb();
  let loads = 0;
  const load = async () => ++loads;
  assert.is(await atDataVersion(db, 'k', undefined, load), 1);
  assert.is(await atDataVersion(db, 'k', undefined, load), 1);
  const before = await dataVersion(db);
  await db.execute("INSERT INTO practitioners (name, practitioner_id) VALUES ('Dr. New', '999999')");
  assert.ok(await dataVersion(db) > before, 'the version moved');
  assert.is(await atDataVersion(db, 'k', undefined, load), 2);
  await db.execute("INSERT INTO sign_in_attempts (username, address, at, succeeded) VALUES ('x', 'y', 0, 0)");
  assert.is(await atDataVersion(db, 'k', undefined, load), 2, 'the sign-in trail is not read by the pages');
  db.close();
});

kept('a failed load is not kept: the next caller loads again', async () => {
  const db = await freshDb();
  let calls = 0;
  try {
    await atDataVersion(db, 'f', undefined, async () => { calls++; throw new Error('no'); });
    assert.unreachable();
  } catch (error) {
    assert.is((error as Error).message, 'no');
  }
  assert.is(await atDataVersion(db, 'f', undefined, async () => { calls++; return 'ok'; }), 'ok');
  assert.is(calls, 2);
  db.close();
});

kept('the oldest of more than 200 keys is loaded again, the newest are kept', async () => {
  const db = await freshDb();
  const loads = new Map<string, number>();
  const load = (key: string) => async () => loads.set(key, (loads.get(key) ?? 0) + 1).get(key);
  for (let i = 0; i <= 200; i++) await atDataVersion(db, `k${i}`, undefined, load(`k${i}`));
  await atDataVersion(db, 'k200', undefined, load('k200'));
  await atDataVersion(db, 'k0', undefined, load('k0'));
  assert.is(loads.get('k200'), 1);
  assert.is(loads.get('k0'), 2);
  db.close();
});

kept.run();
