import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Db } from '../../src/domain/database/db.ts';
import { freshDb, addUser, testApp, request, signIn, dom } from '../support/app.ts';

const inbox = suite('inbox');
let db: Db;
let app: ReturnType<typeof testApp>['app'];
let mine: number[] = [];
let theirs: number;

async function addMessage(recipient: number, subject: string, createdAt: string) {
  const result = await db.execute({
    sql: 'INSERT INTO inbox_messages (recipient_id, subject, body, created_at) VALUES (?, ?, ?, ?) RETURNING id',
    args: [recipient, subject, `Body of ${subject}`, new Date(createdAt).getTime()],
  });
  return Number(result.rows[0].id);
}

inbox.before(async () => {
  db = await freshDb();
  const physician = await addUser(db, 'physician');
  const clerk = await addUser(db, 'clerk', ['cii_cpar_settings']);
  mine = [
    await addMessage(physician, 'Older failure', '2026-09-15T21:05:00-06:00'),
    await addMessage(physician, 'Newer failure', '2026-10-15T21:05:00-06:00'),
  ];
  theirs = await addMessage(clerk, 'Clerk only', '2026-10-16T09:00:00-06:00');
  ({ app } = testApp(db));
});

inbox('lists only my messages, newest first, unread marked', async () => {
  const doc = await dom(await request(app, 'GET', '/inbox', { cookie: await signIn(app, 'physician') }));
  const rows = [...doc.querySelectorAll('#inbox tbody tr')];
  assert.equal(rows.map((r) => r.id), [`message-${mine[1]}`, `message-${mine[0]}`]);
  assert.ok(rows.every((r) => r.classList.contains('unread')));
  assert.is(doc.querySelector('#unread-count')?.textContent, '2 unread');
});

inbox('opening a message shows it, marks it read and lowers the unread count', async () => {
  const cookie = await signIn(app, 'physician');
  const res = await request(app, 'GET', `/inbox/${mine[1]}`, { cookie });
  assert.is(res.status, 200);
  assert.is(res.headers.get('Cache-Control'), 'no-store');
  const doc = await dom(res);
  assert.is(doc.querySelector('#message h1')?.textContent, 'Newer failure');
  assert.is(doc.querySelector('#unread-count')?.textContent, '1 unread');
  const list = await dom(await request(app, 'GET', '/inbox', { cookie }));
  assert.ok(list.querySelector(`#message-${mine[1]}`)?.classList.contains('read'));
  const fragment = await request(app, 'GET', '/inbox/unread-count', { cookie, htmx: true });
  assert.is((await dom(fragment)).querySelector('#unread-count')?.textContent, '1 unread');
});

inbox("another user's message answers 404 exactly like a missing one, and stays unread", async () => {
  const cookie = await signIn(app, 'physician');
  const other = await request(app, 'GET', `/inbox/${theirs}`, { cookie });
  const missing = await request(app, 'GET', '/inbox/987654', { cookie });
  assert.is(other.status, 404);
  assert.is(missing.status, 404);
  assert.is(await other.text(), await missing.text());
  const row = await db.execute({ sql: 'SELECT read_at FROM inbox_messages WHERE id = ?', args: [theirs] });
  assert.is(row.rows[0].read_at, null);
});

inbox('a user with no messages sees an empty inbox', async () => {
  await addUser(db, 'newcomer');
  const doc = await dom(await request(app, 'GET', '/inbox', { cookie: await signIn(app, 'newcomer') }));
  assert.match(doc.querySelector('.empty')?.textContent ?? '', 'No messages');
  assert.is(doc.querySelector('#unread-count')?.textContent, '');
});

inbox('a failure message links to the failed submission for a clerk, and tells others whom to ask', async () => {
  const clerkId = Number((await db.execute("SELECT id FROM users WHERE username = 'clerk'")).rows[0].id);
  await db.execute("INSERT INTO practitioners (name, practitioner_id) VALUES ('Dr. X', '123456')");
  const panel = Number((await db.execute("INSERT INTO panels (name, panel_number, cpar_enabled, created_at) VALUES ('P', 'PNL-X', 1, 0) RETURNING id")).rows[0].id);
  const sub = Number((await db.execute({ sql: "INSERT INTO submissions (panel_id, status, created_at, trigger, brief_error, failed_at) VALUES (?, 'Failed', 0, 'scheduled', 'x', 0) RETURNING id", args: [panel] })).rows[0].id);
  const physicianId = Number((await db.execute("SELECT id FROM users WHERE username = 'physician'")).rows[0].id);
  const ids: number[] = [];
  for (const recipient of [clerkId, physicianId]) {
    const r = await db.execute({ sql: "INSERT INTO inbox_messages (recipient_id, subject, body, created_at, panel_id, submission_id) VALUES (?, 'failed', 'b', 1, ?, ?) RETURNING id", args: [recipient, panel, sub] });
    ids.push(Number(r.rows[0].id));
  }
  await db.execute({ sql: "INSERT INTO user_permissions (user_id, permission) VALUES (?, 'cii_cpar_settings') ON CONFLICT DO NOTHING", args: [clerkId] });
  const clerk = await dom(await request(app, 'GET', `/inbox/${ids[0]}`, { cookie: await signIn(app, 'clerk') }));
  assert.is(clerk.querySelector('a#fix-link')?.getAttribute('href'), `/settings/cii-cpar/submissions/${sub}`);
  const physician = await dom(await request(app, 'GET', `/inbox/${ids[1]}`, { cookie: await signIn(app, 'physician') }));
  assert.not.ok(physician.querySelector('a#fix-link'));
  assert.match(physician.querySelector('#fix-link')?.textContent ?? '', 'CII/CPAR settings permission');
  // ...and names who has it: the clerk, not a disabled colleague who had it too
  const clerkName = String((await db.execute({ sql: 'SELECT full_name FROM users WHERE id = ?', args: [clerkId] })).rows[0].full_name);
  const gone = await addUser(db, 'gone', ['cii_cpar_settings']);
  await db.execute({ sql: 'UPDATE users SET disabled_at = 1 WHERE id = ?', args: [gone] });
  const again = await dom(await request(app, 'GET', `/inbox/${ids[1]}`, { cookie: await signIn(app, 'physician') }));
  assert.equal([...again.querySelectorAll('#fix-link .fixers li')].map((li) => li.textContent), [clerkName]);
  // with no one able to fix it, the reader is told to ask an administrator
  await db.execute({ sql: "DELETE FROM user_permissions WHERE user_id = ? AND permission = 'cii_cpar_settings'", args: [clerkId] });
  const nobody = await dom(await request(app, 'GET', `/inbox/${ids[1]}`, { cookie: await signIn(app, 'physician') }));
  assert.match(nobody.querySelector('#fix-link')?.textContent ?? '', 'Ask an administrator');
});

inbox.run();
