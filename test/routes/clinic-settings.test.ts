import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Db } from '../../src/domain/database/db.ts';
import { freshDb, addUser, testApp, request, signIn, dom, count } from '../support/app.ts';
import { addClinicPanel } from '../support/clinic.ts';

const settings = suite('readiness warnings: the settings page and the members filter');
let db: Db;
let app: ReturnType<typeof testApp>['app'];
let panel: { panelId: number; patientIds: number[] };
const URL = '/settings/cii-cpar/settings';

settings.before(async () => {
  db = await freshDb();
  await addUser(db, 'physician');
  await addUser(db, 'clerk', ['cii_cpar_settings']);
  panel = await addClinicPanel(db, { name: 'Warned', patients: 3 });
  // testApp's day is 2026-11-10: a visit of 2023-01-01 is older than 3 years, not than 5.
  await db.execute({ sql: "UPDATE visits SET visit_date = '2023-01-01' WHERE patient_id = ?", args: [panel.patientIds[1]] });
  ({ app } = testApp(db));
});

settings('only CII/CPAR settings may see or change the limits', async () => {
  const cookie = await signIn(app, 'physician');
  assert.is((await request(app, 'GET', URL, { cookie })).status, 403);
  assert.is((await request(app, 'POST', URL, { cookie, form: { staleVisitYears: '9', staleConfirmationYears: '9' } })).status, 403);
  assert.is(await count(db, 'SELECT stale_visit_years FROM clinic_settings'), 3);
});

settings('the warning shows beside readiness and its link lists the patients', async () => {
  const cookie = await signIn(app, 'clerk');
  const submissions = await dom(await request(app, 'GET', '/settings/cii-cpar/submissions', { cookie }));
  const warning = submissions.querySelector(`#readiness-${panel.panelId} [data-warning=stale_visit] a`)!;
  assert.match(warning.textContent ?? '', '1 patient last visited over 3 years ago');
  assert.ok(submissions.querySelector(`#readiness-${panel.panelId} .badge-ready`), 'still Ready');
  const href = warning.getAttribute('href')!;
  assert.is(href, `/settings/cii-cpar/panels/${panel.panelId}/members?problem=stale_visit`);
  const members = await dom(await request(app, 'GET', href, { cookie }));
  assert.equal([...members.querySelectorAll('#members tbody tr')].map((tr) => tr.id), [`member-${panel.patientIds[1]}`]);
  assert.match(members.querySelector('[data-problem=stale_visit]')?.textContent ?? '', '(1)');
});

settings('a bad value is refused with its reason and kept in the form; a good one is saved and audited', async () => {
  const cookie = await signIn(app, 'clerk');
  const refused = await request(app, 'POST', URL, { cookie, form: { staleVisitYears: '0', staleConfirmationYears: '4' } });
  assert.is(refused.status, 422);
  const form = await dom(refused);
  assert.match(form.querySelector('#setting-staleVisitYears-error')?.textContent ?? '', 'from 1 to 20');
  assert.is(form.querySelector('#setting-staleConfirmationYears')?.getAttribute('value'), '4', 'nothing entered is lost');
  assert.is(await count(db, 'SELECT stale_confirmation_years FROM clinic_settings'), 3, 'nothing changed');
  const saved = await request(app, 'POST', URL, { cookie, form: { staleVisitYears: '5', staleConfirmationYears: '4' } });
  assert.is(saved.status, 303);
  assert.is(saved.headers.get('Location'), `${URL}?saved=1`);
  assert.is(await count(db, "SELECT count(*) FROM audit_log WHERE object_type = 'clinic_settings' AND username = 'clerk'"), 1);
  const page = await dom(await request(app, 'GET', `${URL}?saved=1`, { cookie }));
  assert.ok(page.querySelector('#settings-saved'));
  assert.is(page.querySelector('#setting-staleVisitYears')?.getAttribute('value'), '5');
  const submissions = await dom(await request(app, 'GET', '/settings/cii-cpar/submissions', { cookie }));
  assert.not.ok(submissions.querySelector(`#readiness-${panel.panelId} [data-warning]`), 'the new limit applies at once');
});

settings.run();
