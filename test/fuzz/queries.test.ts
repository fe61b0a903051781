// Every page the app registers, asked with query values it does not understand, by a user who
// holds every permission: a value outside what a page reads is ignored or refused (4xx), never
// a 5xx. The parameter names come from the route sources, so a new one is fuzzed unasked.
import { readdirSync, readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { PERMISSIONS } from '../../src/domain/people/permissions.ts';
import { freshDb, addUser, addSubmission, testApp, signIn, ORIGIN } from '../support/app.ts';
import { addClinicPanel } from '../support/clinic.ts';
import { runs, text } from './support.ts';

const queries = suite('fuzz: query parameters of every route');

/** Values that broke page and filter parsing before: fractions, overflow, names of Object's own properties. */
const HOSTILE = [
  '1.5', 'Infinity', '-Infinity', '1e308', '1e3', '99999999999999999999', '9'.repeat(400), '9007199254740993', '-1', '0', '-0',
  'NaN', '', ' ', ' 2', '0x10', '+2', '２', 'toString', '__proto__', 'constructor', 'hasOwnProperty', 'valueOf', 'prototype',
  'status', 'name', '<b>x</b>', "'; DROP TABLE panels; --", '\u0000', 'x'.repeat(5000), '9007199254740991', '999999999999999',
];

/** Every parameter name a route reads from its query string (or from a URL it was handed). */
function parameterNames(): string[] {
  const names = new Set<string>();
  for (const file of readdirSync('src/routes')) {
    const source = readFileSync(`src/routes/${file}`, 'utf8');
    for (const m of source.matchAll(/(?:req\.query|params\.get|params\.has)\('([A-Za-z_]+)'\)/g)) names.add(m[1]);
  }
  return [...names].sort();
}

const db = await freshDb();
const userId = await addUser(db, 'fuzzer', [...PERMISSIONS]);
const { panelId, patientIds } = await addClinicPanel(db, { name: 'Main', patients: 30, withoutVisit: 3, withoutConfirmation: 25, recipient: userId });
const submission = await addSubmission(db, panelId, { status: 'Failed', createdAt: '2026-10-15T21:00:00-06:00', patientCount: 3 });
await db.execute({ sql: "INSERT INTO submission_problems (submission_id, reason, patient_id) VALUES (?, 'no_confirmation_date', ?)", args: [submission, patientIds[0]] });
const message = await db.execute({ sql: "INSERT INTO inbox_messages (recipient_id, subject, body, created_at) VALUES (?, 's', 'b', 0) RETURNING id", args: [userId] });
const { app } = testApp(db);
const cookie = await signIn(app, 'fuzzer');
const ids: Record<string, number> = { panelId, patientId: patientIds[0], submissionId: submission, userId, practitionerId: 1, changeId: 1, id: Number(message.rows[0].id) };

/**
 * Every GET route with its path parameters filled with ids that exist. /readyz is left out:
 * its 503 is its answer (this app has no scheduler), not a failure; test/service covers it.
 */
function pages(): string[] {
  const paths = app.routes.filter((r) => r.method === 'GET' && !r.path.startsWith('/static') && r.path !== '/readyz')
    .map((r) => r.path.replace(/:([A-Za-z]+)(\{[^}]*\})?/g, (_, name: string) => String(ids[name])));
  return [...new Set(paths)];
}

const NAMES = parameterNames();

async function get(path: string, params: [string, string][], htmx: boolean) {
  const headers: Record<string, string> = { Cookie: cookie };
  if (htmx) Object.assign(headers, { 'HX-Request': 'true', 'HX-Request-Type': 'partial' });
  const res = await app.request(`${ORIGIN}${path}?${new URLSearchParams(params)}`, { headers, redirect: 'manual' });
  await res.arrayBuffer();
  return res.status;
}

queries('the routes read the parameters the fuzzer knows of', () => {
  for (const name of ['page', 'done', 'user', 'status', 'sort', 'queued', 'problem', 'failureRecipientId']) assert.ok(NAMES.includes(name), name);
  assert.ok(pages().length >= 15, String(pages().length));
});

queries('every hostile value in every parameter of every page: never a 5xx', async () => {
  const failures: string[] = [];
  for (const path of pages()) {
    for (const value of HOSTILE) {
      for (const htmx of [false, true]) {
        const status = await get(path, NAMES.map((n) => [n, value]), htmx);
        if (status >= 500) failures.push(`${status} GET ${path}?*=${JSON.stringify(value.slice(0, 20))}${htmx ? ' (htmx)' : ''}`);
      }
    }
  }
  assert.equal(failures, []);
});

// One parameter at a time, the others at a value a page may well understand ('1': an id, a
// page): `?done=toString&user=1` broke where `?done=toString&user=toString` did not.
const SHORT = ['1.5', 'Infinity', '1e308', '99999999999999999999', '-1', '0', '', 'toString', '__proto__', 'constructor', 'x'.repeat(5000)];
queries('each parameter alone given each kind of hostile value, the others plausible: never a 5xx', async () => {
  const failures: string[] = [];
  for (const path of pages()) {
    for (const name of NAMES) {
      for (const value of SHORT) {
        const status = await get(path, NAMES.map((n) => [n, n === name ? value : '1']), false);
        if (status >= 500) failures.push(`${status} GET ${path}?${name}=${JSON.stringify(value.slice(0, 20))}`);
      }
    }
  }
  assert.equal(failures, []);
});

queries('generated mixes of values, repeated parameters included: never a 5xx', async () => {
  const paths = pages();
  const value = fc.oneof(fc.constantFrom(...HOSTILE), text, fc.integer().map(String), fc.double().map(String));
  await fc.assert(fc.asyncProperty(
    fc.nat(), fc.array(fc.tuple(fc.constantFrom(...NAMES), value), { minLength: 1, maxLength: 8 }), fc.boolean(),
    async (pick, params, htmx) => {
      const path = paths[pick % paths.length];
      const status = await get(path, params, htmx);
      assert.ok(status < 500, `${status} GET ${path}?${new URLSearchParams(params)}`);
    }), runs(300));
});

// Filters that travel in POST bodies (so that a ULI stays out of URLs) are held to the same.
const FILTERS: [string, string[]][] = [
  ['/settings/audit-log', ['page', 'user', 'uli', 'action', 'from', 'to']],
  [`/settings/cii-cpar/panels/${panelId}/members/search`, ['q', 'page', 'problem']],
  [`/settings/cii-cpar/panels/${panelId}/candidates/search`, ['q']],
];
queries('every hostile value in every field of the filters sent by POST: never a 5xx', async () => {
  const failures: string[] = [];
  for (const [path, fields] of FILTERS) {
    for (const name of fields) {
      for (const value of HOSTILE) {
        const body = new URLSearchParams(fields.map((f) => [f, f === name ? value : '1']));
        const res = await app.request(`${ORIGIN}${path}`, {
          method: 'POST', body, headers: { Cookie: cookie, Origin: ORIGIN, 'Content-Type': 'application/x-www-form-urlencoded' },
        });
        await res.arrayBuffer();
        if (res.status >= 500) failures.push(`${res.status} POST ${path} ${name}=${JSON.stringify(value.slice(0, 20))}`);
      }
    }
  }
  assert.equal(failures, []);
});

queries.run();
