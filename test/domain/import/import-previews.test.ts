// An Apply whose process died before the import committed (the preview claimed, its files
// still kept) does not lose the upload: the claim lapses and the preview waits again, while a
// claim still fresh — an Apply under way — keeps refusing a second Apply.
import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../../src/domain/time/clock.ts';
import { loadScope } from '../../../src/domain/people/users.ts';
import { APPLY_LAPSE_MS, applyImport, cancelImport, getImport, startImport } from '../../../src/domain/import/import-previews.ts';
import type { Db } from '../../../src/domain/database/db.ts';
import { addUser, count, freshDb } from '../../support/app.ts';

const EXAMPLE = readFileSync(new URL('../../../db/examples/clinic-import.json', import.meta.url), 'utf8');
const test = suite('import previews: an Apply that died');
const clock = new ManualClock('2026-11-10T12:00:00-07:00');
let db: Db;

async function claimedThenDied() {
  const clerk = (await loadScope(db, await addUser(db, 'clerk', ['cii_cpar_settings'])))!;
  await addUser(db, 'jsmith', ['cii_cpar_settings']);
  const started = await startImport(db, clock, clerk, [{ name: 'clinic.json', text: EXAMPLE }]);
  assert.ok(started.ok);
  // What the claim statement leaves when the process dies before the import commits.
  await db.execute({ sql: 'UPDATE import_previews SET applied_at = ? WHERE token = ?', args: [clock.now().getTime(), started.token] });
  return { clerk, token: started.token };
}

test.before.each(async () => { db = await freshDb(); });
test.after.each(() => db.close());

test('while the claim is fresh the preview is being applied: a second Apply and Cancel are refused', async () => {
  const { clerk, token } = await claimedThenDied();
  clock.advance(APPLY_LAPSE_MS - 1_000);
  assert.is((await getImport(db, clock, clerk, token))!.stored.state, 'applied');
  assert.equal(await applyImport(db, clock, clerk, token, { route: 'test' }), { ok: false, reason: 'done' });
  assert.not.ok(await cancelImport(db, clock, clerk, token));
  assert.is(await count(db, 'SELECT count(*) FROM patients'), 0);
});

test('once the claim has lapsed the preview waits again and applies once', async () => {
  const { clerk, token } = await claimedThenDied();
  clock.advance(APPLY_LAPSE_MS + 1_000);
  const waiting = (await getImport(db, clock, clerk, token))!;
  assert.is(waiting.stored.state, 'waiting');
  assert.ok(waiting.preview, 'its preview is shown again');
  const applied = await applyImport(db, clock, clerk, token, { route: 'test' });
  assert.ok(applied.ok);
  assert.ok(await count(db, 'SELECT count(*) FROM patients') > 0);
  clock.advance(APPLY_LAPSE_MS * 2);
  assert.is((await getImport(db, clock, clerk, token))!.stored.state, 'applied', 'an Apply that committed never lapses');
  assert.equal(await applyImport(db, clock, clerk, token, { route: 'test' }), { ok: false, reason: 'done' });
});

test('a lapsed claim can be cancelled', async () => {
  const { clerk, token } = await claimedThenDied();
  clock.advance(APPLY_LAPSE_MS + 1_000);
  assert.ok(await cancelImport(db, clock, clerk, token));
  assert.is((await getImport(db, clock, clerk, token))!.stored.state, 'cancelled');
});

test.run();
