import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { freshDb, addUser, addPanel, addSubmission, testApp, request, signIn, dom } from '../support/app.ts';

const paging = suite('Submissions page: pages and sorting');

paging('25 panels a page, every panel reachable, sortable by status with failures first', async () => {
  const db = await freshDb();
  await addUser(db, 'clerk', ['cii_cpar_settings']);
  const ids: number[] = [];
  for (let i = 0; i < 32; i++) ids.push(await addPanel(db, `Panel ${String(i).padStart(2, '0')}`, { number: `PNL-${i}` }));
  await addSubmission(db, ids[30], { status: 'Failed', createdAt: '2026-10-15T21:00:00-06:00', patientCount: 1 });
  await addSubmission(db, ids[3], { status: 'Submitted', createdAt: '2026-10-15T21:00:00-06:00', patientCount: 1 });
  await addSubmission(db, ids[28], { status: 'Pending', createdAt: '2026-11-09T21:00:00-07:00', patientCount: 1 });
  const { app } = testApp(db);
  const cookie = await signIn(app, 'clerk');
  const rowsOf = async (path: string) => [...(await dom(await request(app, 'GET', path, { cookie }))).querySelectorAll('#submissions tbody tr')].map((tr) => tr.id);

  const first = await rowsOf('/settings/cii-cpar/submissions');
  const second = await rowsOf('/settings/cii-cpar/submissions?page=2');
  assert.is(first.length, 25);
  assert.is(second.length, 7);
  assert.equal([...first, ...second], ids.map((id) => `panel-${id}`), 'by name, every panel once');

  const byStatus = await rowsOf('/settings/cii-cpar/submissions?sort=status');
  assert.is(byStatus[0], `panel-${ids[30]}`, 'the failed panel first');
  const last = await rowsOf('/settings/cii-cpar/submissions?sort=status&page=2');
  assert.equal(last.slice(-2), [`panel-${ids[28]}`, `panel-${ids[3]}`], 'Pending, then Submitted, last');

  const doc = await dom(await request(app, 'GET', '/settings/cii-cpar/submissions', { cookie }));
  assert.is(doc.querySelector('#sort-by-status')?.getAttribute('href'), '/settings/cii-cpar/submissions?sort=status');
  assert.is(doc.querySelector('.pager a[rel=next]')?.getAttribute('href'), '/settings/cii-cpar/submissions?page=2');
  assert.equal(await rowsOf('/settings/cii-cpar/submissions?page=99'), second, 'a page past the end shows the last');
});

paging.run();
