// Issue 16: a GET serves its kept pages at the data version read with its session (one round
// trip on a libSQL server). A POST that changes the data must not: the list it answers with
// shows its own change, even when that list was kept at the version before it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { freshDb, addUser, testApp, signIn, dom, ORIGIN } from '../support/app.ts';
import { addClinicPanel } from '../support/clinic.ts';

const kept = suite('kept pages and a change');

kept('a bulk confirmation answers with the list as it is now, not as kept before it', async () => {
  const db = await freshDb();
  await addUser(db, 'clerk', ['cii_cpar_settings']);
  const { app } = testApp(db);
  const cookie = await signIn(app, 'clerk');
  const panel = await addClinicPanel(db, { name: 'Kept', patients: 3, withoutConfirmation: 2 });
  const list = `/settings/cii-cpar/panels/${panel.panelId}/members?problem=no_confirmation_date`;
  const htmx = { Cookie: cookie, 'HX-Request': 'true', 'HX-Request-Type': 'partial' };
  const rowsOf = async (res: Response) => (await dom(res)).querySelectorAll('#members-table tbody tr').length;
  // the list of patients without a date, kept at this version
  assert.is(await rowsOf(await app.request(`${ORIGIN}${list}`, { headers: htmx })), 2);
  assert.is(await rowsOf(await app.request(`${ORIGIN}${list}`, { headers: htmx })), 2);
  const res = await app.request(`${ORIGIN}/settings/cii-cpar/panels/${panel.panelId}/confirmations`, {
    method: 'POST',
    headers: { ...htmx, Origin: ORIGIN, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams([['scope', 'filter'], ['confirmed_on', '2026-11-05'], ['return_to', list]]).toString(),
  });
  assert.is(res.status, 200);
  assert.is(await rowsOf(res), 0, 'both now have a date: none is left without one');
  assert.is(await rowsOf(await app.request(`${ORIGIN}${list}`, { headers: htmx })), 0, 'and the next GET agrees');
});

kept.run();
