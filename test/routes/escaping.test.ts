import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseHTML } from 'linkedom';
import type { Db } from '../../src/domain/database/db.ts';
import { importClinicalRecord } from '../../src/domain/import/import.ts';
import { ManualClock } from '../../src/domain/time/clock.ts';
import { failSubmission } from '../../src/domain/submissions/failures.ts';
import { freshDb, addUser, testApp, request, signIn } from '../support/app.ts';

// Hostile text in every field a user (or an imported record) can fill, on every page that
// shows it: it must come out as text, never as markup, script or an htmx attribute.
const escaping = suite('escaping');
const EVIL = `<script>alert(1)</script>" onmouseover="alert(2)" hx-get="/logout" x='`;
let db: Db;
let app: ReturnType<typeof testApp>['app'];
let panelId: number;
let submissionId: number;
let messageId: number;

escaping.before(async () => {
  db = await freshDb();
  await addUser(db, 'admin', ['cii_cpar_settings', 'manage_users', 'view_audit_log']);
  await db.execute({ sql: "UPDATE users SET full_name = ? WHERE username = 'admin'", args: [`Admin ${EVIL}`] });
  const clock = new ManualClock('2026-11-10T12:00:00-07:00');
  const imported = await importClinicalRecord(db, clock, {
    practitioners: [{ key: 'dr', name: `Dr. ${EVIL}`, practitionerId: null }],
    patients: [{ key: 'p1', uli: '123456789', lastName: `Last${EVIL}`, firstName: `First${EVIL}`, birthDate: '1980-01-31', gender: 'F', status: 'active' }],
    visits: [],
    panels: [{ key: 'evil', name: `Panel ${EVIL}`, practitioners: ['dr'], panelNumber: `PNL-${EVIL}`.slice(0, 40), cparEnabled: true,
      failureRecipient: 'admin', members: [{ patient: 'p1', confirmedOn: null }] }],
  });
  if (!imported.ok) throw new Error(JSON.stringify(imported));
  panelId = Number((await db.execute("SELECT id FROM panels WHERE key = 'evil'")).rows[0].id);
  const sub = await db.execute({ sql: "INSERT INTO submissions (panel_id, status, created_at, trigger, pending_at) VALUES (?, 'Pending', 0, 'scheduled', 0) RETURNING id", args: [panelId] });
  submissionId = Number(sub.rows[0].id);
  await failSubmission(db, clock, submissionId, { status: 'Pending' }, {
    briefError: `Netcare rejected the submission: ${EVIL}`,
    problems: [{ reason: 'no_confirmation_date', patientId: 1, detail: null }, { reason: 'netcare_rejected', patientId: null, detail: EVIL }],
  });
  messageId = Number((await db.execute('SELECT id FROM inbox_messages')).rows[0].id);
  ({ app } = testApp(db));
});

function assertInert(html: string, where: string) {
  const { document } = parseHTML(html);
  const scripts = [...document.querySelectorAll('script')].map((s) => s.getAttribute('src'));
  assert.equal(scripts.filter((src) => !/^\/static\/(htmx\.min|app)\.js\?v=[0-9a-f]{12}$/.test(src ?? '')), [], `${where}: only htmx and the portal's app.js are scripts`);
  assert.is(document.querySelectorAll('[onmouseover]').length, 0, `${where}: no event handler attribute`);
  assert.is(document.querySelectorAll('[hx-get="/logout"]').length, 0, `${where}: no injected htmx attribute`);
  assert.not.match(html, '<script>alert', `${where}: the text is escaped`);
}

escaping('every page showing user-entered or imported text renders it inert', async () => {
  const cookie = await signIn(app, 'admin');
  const pages = [
    '/settings/cii-cpar/submissions', '/settings/cii-cpar/panels', `/settings/cii-cpar/panels/${panelId}`,
    `/settings/cii-cpar/panels/${panelId}/edit`, `/settings/cii-cpar/panels/${panelId}/members`,
    `/settings/cii-cpar/panels/${panelId}/submissions`, `/settings/cii-cpar/submissions/${submissionId}`,
    '/settings/users', '/settings/practitioners', '/inbox', `/inbox/${messageId}`, '/settings/audit-log',
  ];
  let sawPayload = 0;
  for (const path of pages) {
    const res = await request(app, 'GET', path, { cookie });
    assert.is(res.status, 200, path);
    const html = await res.text();
    assertInert(html, path);
    if (html.includes('&lt;script&gt;alert(1)')) sawPayload++;
  }
  assert.ok(sawPayload >= 8, `the hostile text was shown (escaped) on ${sawPayload} pages`);
});

escaping('a hostile panel name typed into the form comes back inert in the 422 re-render', async () => {
  const cookie = await signIn(app, 'admin');
  const res = await request(app, 'POST', '/settings/cii-cpar/panels', { cookie, form: { name: EVIL, cpar_enabled: 'on' } });
  assert.is(res.status, 422);
  assertInert(await res.text(), 'panel form');
});

escaping('no raw() or dangerouslySetInnerHTML anywhere in the source', async () => {
  const { readdirSync, readFileSync, statSync } = await import('node:fs');
  const walk = (dir: string): string[] => readdirSync(dir).flatMap((f) => {
    const p = `${dir}/${f}`;
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
  for (const file of walk('src')) {
    let text = readFileSync(file, 'utf8');
    // The one exception: an element rendered once and placed as it is (only an element goes in).
    if (file === 'src/views/rendered.ts') {
      assert.match(text, /export async function rendered\(element: HtmlEscapedString \| Promise<HtmlEscapedString>\)/);
      assert.match(text, "if (!isValidElement(element)) throw new TypeError('rendered() takes a JSX element');");
      assert.match(text, 'return raw(await element.toString());');
      text = text.replace('return raw(await element.toString());', '').replace("import { raw } from 'hono/html';", '');
    }
    // hono's raw() (a method named raw, like a SQL statement's .raw(), is not it)
    assert.not.match(text, /dangerouslySetInnerHTML|(?<!\.)\braw\(|\braw\b[^\n]*from 'hono/, file);
  }
});

escaping('rendered() refuses anything but a JSX element: a string cannot slip through unescaped', async () => {
  const { rendered } = await import('../../src/views/rendered.ts');
  const text = new String('<script>alert(1)</script>') as unknown as Parameters<typeof rendered>[0];
  try {
    await rendered(text);
    assert.unreachable('a string was placed unescaped');
  } catch (error) {
    assert.instance(error, TypeError);
  }
});

escaping.run();
