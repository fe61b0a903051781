// Shared pieces of the fuzz tests: the fixed seed, generated form values, raw POSTs with
// repeated fields, database snapshots and the "specific message" a refusal must carry.
import fc from 'fast-check';
import { parseHTML } from 'linkedom';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Db } from '../../src/domain/database/db.ts';
import { ORIGIN } from '../support/app.ts';

/**
 * One seed for every property, so CI replays the same cases on every run. To explore, run
 * with another seed (FUZZ_SEED=123) and more runs (FUZZ_RUNS=10 multiplies every count);
 * FUZZ_SHRINK=0 reports the first failure as found, without shrinking it (faster, larger).
 */
export const SEED = Number(process.env.FUZZ_SEED ?? 20261110);
const SCALE = Number(process.env.FUZZ_RUNS ?? 1);
export const runs = (numRuns: number) => ({
  seed: SEED, numRuns: Math.max(1, Math.round(numRuns * SCALE)), includeErrorInReport: true, endOnFailure: process.env.FUZZ_SHRINK === '0',
});

/** Values people (and scripts) type into forms that have broken parsers before. */
const NASTY = [
  '', ' ', '   ', '\t\n', '\r\n', '\u0000', 'a\u0000b', '\u00a0', '\u200b', '\ufeff', '\u202e', '\u3000',
  "'; DROP TABLE panels; --", "' OR '1'='1", '"', '\\', '%', '%00', '_', '*', '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>', '{{7*7}}', '${7*7}', '../../etc/passwd', '//evil.example', 'https://evil.example/',
  'javascript:alert(1)', 'NaN', 'Infinity', '-1', '0', '00', '1.5', '1e3', '0x10', '+1', ' 1', '9007199254740993',
  '99999999999999999999', 'null', 'undefined', 'true', 'on', '[]', '{}', '１２３４５６', '١٢٣٤٥٦', 'Ⅻ', '😀', 'é', 'é',
  '2026-02-30', '2026-13-01', '2026-00-10', '2026-11-10', '2026-11-11', '2025-02-29', '2024-02-29', '0000-01-01',
  '2026-1-1', '10/11/2026', '2026-11-10T00:00', ' 2026-01-02 ', '123456789', '12345678', '1234567890',
];

const FIDDLY = [' ', '\t', '\n', '\r', '\u0000', '\u0007', '\u001f', '\u007f', '\u0085', '\u00a0', '\u200b', '\u2028', '\u3000', '\ufeff', 'a', 'Z', '1', '-', '%', '&', '=', '+'];

/** Any text a form field might receive: empty, blank, control characters, unicode, SQL, huge. */
export const text: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom(...FIDDLY), maxLength: 10 }) },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double()).map(String) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('x', '9', 'é', '😀', ' '), fc.integer({ min: 250, max: 20_000 })).map(([c, n]) => c.repeat(n)) },
);

/** A field as a browser (or a forged form) may send it: absent, once, or repeated. */
export const field = (value: fc.Arbitrary<string>): fc.Arbitrary<string[]> => fc.oneof(
  { weight: 1, arbitrary: fc.constant<string[]>([]) },
  { weight: 6, arbitrary: value.map((v) => [v]) },
  { weight: 2, arbitrary: fc.array(value, { minLength: 2, maxLength: 4 }) },
);

export type Fields = Record<string, string[]>;

/** A whole form: the named fields, plus now and then a stray one or a malformed raw tail. */
export function form(fields: Record<string, fc.Arbitrary<string[]>>): fc.Arbitrary<Form> {
  return fc.record({
    fields: fc.record(fields),
    stray: fc.oneof({ weight: 4, arbitrary: fc.constant([] as [string, string][]) },
      { weight: 1, arbitrary: fc.array(fc.tuple(text, text), { maxLength: 2 }) }),
    // Bytes that are not UTF-8, lone escapes, keys without values: what no browser sends.
    raw: fc.oneof({ weight: 6, arbitrary: fc.constant('') },
      { weight: 1, arbitrary: fc.constantFrom('%', '%ZZ', '=&=&', '&&&', '%ED%A0%80', '%FF%FE%00', '%C0%80', 'a=%E2%82') }),
    htmx: fc.boolean(),
    multipart: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  });
}
export type Form = { fields: Fields; stray: [string, string][]; raw: string; htmx: boolean; multipart: boolean };

type App = { request: (url: string, init: RequestInit) => Response | Promise<Response> };

export type Answer = { status: number; body: string; location: string | null; hxRedirect: string | null };

/** POSTs a generated form as a signed-in browser would (same origin), repeated fields and all. */
export async function post(app: App, path: string, cookie: string, f: Form): Promise<Answer> {
  const pairs = pairsOf(f);
  const headers: Record<string, string> = { Cookie: cookie, Origin: ORIGIN };
  if (f.htmx) Object.assign(headers, { 'HX-Request': 'true', 'HX-Request-Type': 'partial' });
  let body: string | FormData;
  if (f.multipart) {
    const data = new FormData();
    pairs.forEach(([k, v], i) => (i === 0 ? data.append(k, new Blob([v]), 'f.txt') : data.append(k, v)));
    body = data;
  } else {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    body = [new URLSearchParams(pairs).toString(), f.raw].filter(Boolean).join('&');
  }
  return answer(await app.request(`${ORIGIN}${path}`, { method: 'POST', headers, body, redirect: 'manual' }));
}

export async function get(app: App, path: string, cookie: string, htmx = false): Promise<Answer> {
  const headers: Record<string, string> = { Cookie: cookie };
  if (htmx) Object.assign(headers, { 'HX-Request': 'true', 'HX-Request-Type': 'partial' });
  return answer(await app.request(`${ORIGIN}${path}`, { headers, redirect: 'manual' }));
}

async function answer(response: Response): Promise<Answer> {
  return { status: response.status, body: await response.text(), location: response.headers.get('Location'), hxRedirect: response.headers.get('HX-Redirect') };
}

/** Never a server error, and only one of the answers this form is meant to give. */
export function expectStatus(a: Answer, allowed: number[]) {
  assert.ok(a.status < 500, `a ${a.status}: ${a.body.replace(/\s+/g, ' ').slice(0, 300)}`);
  assert.ok(allowed.includes(a.status), `status ${a.status} is not one of ${allowed.join(', ')}`);
}

/** The message a refusal shows: an alert, an .error, a *-error element or the error page's text. */
export function messageOf(html: string): string {
  const doc = parseHTML(html).document;
  const found = doc.querySelector('[role=alert], .error, [id$="-error"], .error-page p');
  return found?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
}

export function expectMessage(a: Answer) {
  const message = messageOf(a.body);
  assert.ok(message.length >= 10, `a ${a.status} without a specific message: ${a.body.replace(/\s+/g, ' ').slice(0, 300)}`);
  assert.not.match(message, /something went wrong|try again/i);
}

/** A 303 or HX-Redirect stays on this site: a path, never another origin. */
export function localTarget(a: Answer): string {
  const target = a.location ?? a.hxRedirect ?? '';
  assert.match(target, /^\/(?![/\\])/, `redirect to "${target}"`);
  return target;
}

// Tables that may change on any request: the trail of the request itself, the session, and
// panel_readiness, a cache of derived facts that any read may fill and any change empties;
// data_version, which every change of the tables compared here bumps (migration 025).
const VOLATILE = new Set(['audit_log', 'audit_patients', 'sessions', 'sign_in_attempts', 'panel_readiness', 'data_version']);

export type Snapshot = Record<string, string[]>;

const tablesOf = new WeakMap<Db, Promise<string[]>>();

/** Every row of every table but the volatile ones, as JSON lines in a stable order. */
export async function snapshot(db: Db): Promise<Snapshot> {
  if (!tablesOf.has(db)) {
    tablesOf.set(db, db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .then((r) => r.rows.map((t) => String(t.name)).filter((name) => !VOLATILE.has(name))));
  }
  const hex = (_k: string, v: unknown) => (v instanceof ArrayBuffer ? Buffer.from(v).toString('hex') : v);
  const out: Snapshot = {};
  for (const name of await tablesOf.get(db)!) {
    out[name] = (await db.execute(`SELECT * FROM "${name}"`)).rows.map((r) => JSON.stringify(r, hex)).sort();
  }
  return out;
}

/** The tables whose rows differ, with the rows gone and the rows new. */
export function changes(before: Snapshot, after: Snapshot) {
  const out: Record<string, { gone: string[]; new: string[] }> = {};
  for (const table of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const b = new Set(before[table] ?? []);
    const a = new Set(after[table] ?? []);
    const gone = [...b].filter((r) => !a.has(r));
    const added = [...a].filter((r) => !b.has(r));
    if (gone.length || added.length) out[table] = { gone: gone.map((r) => r.slice(0, 200)), new: added.map((r) => r.slice(0, 200)) };
  }
  return out;
}

export function expectUnchanged(before: Snapshot, after: Snapshot) {
  const diff = changes(before, after);
  assert.equal(Object.keys(diff).length, 0, `a refused request changed the database: ${JSON.stringify(diff)}`);
}

/** Only these tables changed. */
export function expectOnly(before: Snapshot, after: Snapshot, tables: string[]) {
  const other = Object.keys(changes(before, after)).filter((t) => !tables.includes(t));
  assert.equal(other, [], `tables changed beyond ${tables.join(', ')}: ${JSON.stringify(changes(before, after))}`);
}

/** The rows of a table in a snapshot, parsed. */
export const rowsOf = (s: Snapshot, table: string) => (s[table] ?? []).map((r) => JSON.parse(r) as Record<string, unknown>);

/** A real calendar date written YYYY-MM-DD (year 0001–9999). */
export function isRealDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return y >= 1 && mo >= 1 && mo <= 12 && d >= 1 && d <= days[mo - 1];
}

/** JavaScript strings can hold half a surrogate pair; UTF-8 (and so the database) cannot. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
export const isWellFormed = (s: string) => !new RegExp(LONE_SURROGATE.source).test(s);
/** What a URL or form body carries instead: U+FFFD for each half pair. */
export const toWellFormed = (s: string) => s.replace(LONE_SURROGATE, '\uFFFD');

export const first = (values: string[] | undefined) => values?.[0] ?? '';

/** Every pair a generated form sends, in order (the raw tail aside). */
export const pairsOf = (f: Form): [string, string][] =>
  [...Object.entries(f.fields).flatMap(([k, vs]) => vs.map((v): [string, string] => [k, v])), ...f.stray];

/** Every value sent under a name. */
export const sent = (f: Form, name: string) => pairsOf(f).filter(([k]) => k === name).map(([, v]) => v);

/**
 * The value `parseBody()` (without `all`) hands a route: the last one sent under the name,
 * undefined when that one was the file a multipart form carries first.
 */
export function lastValue(f: Form, name: string): string | undefined {
  const pairs = pairsOf(f);
  for (let i = pairs.length - 1; i >= 0; i--) {
    if (pairs[i][0] === name) return f.multipart && i === 0 ? undefined : pairs[i][1];
  }
  return undefined;
}

// --- Shared by the form properties ---------------------------------------------------------

export const BIG = '9'.repeat(400); // Infinity to Number()

/** An id in a path: mostly one from the pool (resolved at run time), else any digits or text. */
export type Segment = { pick: number } | { raw: string };
export const segment: fc.Arbitrary<Segment> = fc.oneof(
  { weight: 5, arbitrary: fc.nat(1000).map((pick) => ({ pick })) },
  { weight: 2, arbitrary: fc.nat(400).map((n) => ({ raw: String(n) })) },
  // Too long for a safe integer, for any number (Infinity), or not quite digits.
  { weight: 2, arbitrary: fc.constantFrom('0', '007', '9007199254740993', '99999999999999999999', BIG, '1e0', '0x1', '-1', '1.0', '').map((raw) => ({ raw })) },
  { weight: 1, arbitrary: text.map((raw) => ({ raw })) },
);
export const resolve = (s: Segment, pool: number[]) => ('pick' in s ? String(pool[s.pick % pool.length]) : encodeURIComponent(s.raw));

/** One of the ids (as a form sends it), or any text. */
export const idOrText = (pool: number[]) => fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...pool.map(String)) }, { weight: 1, arbitrary: text });

/** A form as a browser sends it, for the examples a property runs first. */
export const plain = (fields: Record<string, string[]>): Form => ({ fields, stray: [], raw: '', htmx: false, multipart: false });

export const trimmed = (f: Form, name: string) => sent(f, name).map((v) => v.trim());

/** The first row of a table in a snapshot with these values. */
export const row = (s: Snapshot, table: string, match: Record<string, unknown>) =>
  rowsOf(s, table).find((r) => Object.entries(match).every(([k, v]) => r[k] === v));

/** True for a refusal (4xx), which must have changed nothing and must say why. */
export function refused(a: Answer, before: Snapshot, after: Snapshot) {
  if (a.status < 400) return false;
  expectUnchanged(before, after);
  expectMessage(a);
  return true;
}

/**
 * A suite of one property over a shared database: `check` gets each generated value and a
 * snapshot taken before it; `restore` puts the fixture back after every run. `examples` run
 * first, every time: inputs that once broke the form.
 */
export function propertiesOn(db: Db, restore: () => Promise<void>) {
  return <T>(name: string, arbitrary: fc.Arbitrary<T>, numRuns: number,
    check: (value: T, before: Snapshot) => Promise<void>, examples: NoInfer<T>[] = []) => {
    const test = suite(name);
    test('never a 5xx, a refusal changes nothing and says why, an acceptance is valid', async () => {
      await fc.assert(fc.asyncProperty(arbitrary, async (value) => {
        try {
          await check(value, await snapshot(db));
        } finally {
          await restore();
        }
      }), { ...runs(numRuns), examples: examples.map((e): [T] => [e]) });
    });
    test.run();
  };
}
