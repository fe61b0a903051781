import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { freshDb, addUser, testApp, request, signIn } from '../support/app.ts';

const headers = suite('security headers');

headers('pages carry a CSP with a fresh nonce each time, no inline script or eval allowed', async () => {
  const db = await freshDb();
  await addUser(db, 'clerk', ['cii_cpar_settings']);
  const { app } = testApp(db);
  const cookie = await signIn(app, 'clerk');
  const nonces = new Set<string>();
  for (const path of ['/login', '/inbox', '/settings/cii-cpar/submissions']) {
    const res = await request(app, 'GET', path, { cookie });
    const csp = res.headers.get('Content-Security-Policy') ?? '';
    for (const directive of ["default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]) {
      assert.match(csp, directive, `${path}: ${directive}`);
    }
    const nonce = /script-src 'self' 'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
    assert.ok(nonce, `${path} has a script nonce`);
    nonces.add(nonce!);
    assert.not.match(csp, 'unsafe-eval');
    assert.not.match(csp, 'unsafe-inline');
    assert.is(res.headers.get('X-Content-Type-Options'), 'nosniff');
    assert.match(res.headers.get('Strict-Transport-Security') ?? '', 'max-age=');
    assert.ok(res.headers.get('Referrer-Policy'));
    assert.is(res.headers.get('Cache-Control'), 'no-store');
    assert.match(res.headers.get('Vary') ?? '', 'HX-Request, HX-Request-Type');
  }
  assert.is(nonces.size, 3);
});

headers('static assets are cacheable; htmx comes from its package', async () => {
  const db = await freshDb();
  const { app } = testApp(db);
  const res = await request(app, 'GET', '/static/htmx.min.js');
  assert.is(res.status, 200);
  assert.match(res.headers.get('Cache-Control') ?? '', 'max-age');
  assert.match(await res.text(), 'htmx');
  assert.is((await request(app, 'GET', '/static/nope.js')).status, 404);
});

headers('pages link assets by their content, so an upgrade reaches every browser at once', async () => {
  const db = await freshDb();
  const { app } = testApp(db);
  const html = await (await request(app, 'GET', '/login')).text();
  const css = html.match(/href="(\/static\/app\.css\?v=([0-9a-f]{12}))"/);
  assert.ok(css, 'the stylesheet is linked with its version');
  const body = readFileSync(new URL('../../public/app.css', import.meta.url));
  assert.is(css[2], createHash('sha256').update(body).digest('hex').slice(0, 12), 'the version is the content\'s hash');
  const versioned = await request(app, 'GET', css[1]);
  assert.is(versioned.status, 200);
  assert.match(versioned.headers.get('Cache-Control') ?? '', 'immutable');
  const stale = await request(app, 'GET', '/static/app.css?v=000000000000');
  assert.not.match(stale.headers.get('Cache-Control') ?? '', 'immutable');
});

headers('a crash shows a reference that is in the server log, never the error or SQL', async () => {
  const db = await freshDb();
  await addUser(db, 'clerk', ['cii_cpar_settings']);
  const { app } = testApp(db);
  app.get('/boom', () => {
    throw new Error('SQLITE_ERROR: no such column: secret_thing in SELECT secret_thing FROM patients');
  });
  const logged: string[] = [];
  const original = console.error;
  console.error = (line: string) => logged.push(line);
  try {
    const res = await request(app, 'GET', '/boom', { cookie: await signIn(app, 'clerk') });
    assert.is(res.status, 500);
    const html = await res.text();
    assert.not.match(html, 'SELECT');
    assert.not.match(html, 'secret_thing');
    assert.not.match(html, 'at ');
    const reference = /reference to support: ([0-9a-f]{8})/.exec(html)?.[1];
    assert.ok(reference, html);
    assert.is(logged.length, 1);
    assert.is(JSON.parse(logged[0]).reference, reference);
  } finally {
    console.error = original;
  }
});

headers.run();
