import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseHTML } from 'linkedom';
import { loadConfig } from '../../src/config.ts';
import { ManualClock } from '../../src/domain/time/clock.ts';
import { openDatabase, type Db } from '../../src/domain/database/db.ts';
import { migrate } from '../../src/domain/database/migrate.ts';
import { createUser } from '../../src/domain/people/users.ts';
import type { Permission } from '../../src/domain/people/permissions.ts';
import { createApp } from '../../src/app.tsx';

export const ORIGIN = 'http://localhost';
export const PASSWORD = 'correct horse battery';

/** A fresh, migrated database in its own temporary file. */
export async function freshDb(): Promise<Db> {
  const dir = mkdtempSync(join(tmpdir(), 'cpar-test-'));
  const db = await openDatabase(`file:${join(dir, 'test.db')}`);
  await migrate(db);
  return db;
}

export async function addUser(db: Db, username: string, permissions: Permission[] = []): Promise<number> {
  const result = await createUser(db, new ManualClock('2026-01-01T00:00:00Z'), {
    username, fullName: `Test ${username}`, password: PASSWORD, permissions,
  });
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('; '));
  return result.id;
}

export async function addPanel(db: Db, name: string, options: { cpar?: boolean; active?: boolean; number?: string; recipient?: number } = {}): Promise<number> {
  const cpar = options.cpar ?? true;
  const practitioner = await db.execute({
    sql: 'INSERT INTO practitioners (name, practitioner_id) VALUES (?, ?) RETURNING id',
    args: [`Dr. ${name}`, '123456'],
  });
  const panel = await db.execute({
    sql: `INSERT INTO panels (name, panel_number, cpar_enabled, active, failure_recipient_id, created_at)
          VALUES (?, ?, ?, ?, ?, 0) RETURNING id`,
    args: [name, cpar ? (options.number ?? `PNL-${name.slice(0, 12)}`) : null, cpar ? 1 : 0,
      options.active === false ? 0 : 1, options.recipient ?? null],
  });
  const panelId = Number(panel.rows[0].id);
  await db.execute({
    sql: 'INSERT INTO panel_practitioners (panel_id, practitioner_id) VALUES (?, ?)',
    args: [panelId, Number(practitioner.rows[0].id)],
  });
  return panelId;
}

export type SubmissionFixture = {
  status: 'Queued' | 'Pending' | 'Submitted' | 'Failed';
  createdAt: string;
  patientCount?: number | null;
  briefError?: string;
  recipientNotified?: boolean;
};

export async function addSubmission(db: Db, panelId: number, s: SubmissionFixture): Promise<number> {
  const at = new Date(s.createdAt).getTime();
  const result = await db.execute({
    sql: `INSERT INTO submissions (panel_id, status, created_at, patient_count, brief_error, trigger,
            pending_at, submitted_at, failed_at, recipient_notified)
          VALUES (?, ?, ?, ?, ?, 'scheduled', ?, ?, ?, ?) RETURNING id`,
    args: [panelId, s.status, at, s.patientCount ?? null,
      s.status === 'Failed' ? (s.briefError ?? 'The panel has no patients assigned.') : null,
      s.status === 'Queued' ? null : at, s.status === 'Submitted' ? at : null,
      s.status === 'Failed' ? at : null,
      s.status === 'Failed' ? (s.recipientNotified === false ? 0 : 1) : null],
  });
  return Number(result.rows[0].id);
}

export function testApp(db: Db, clock = new ManualClock('2026-11-10T12:00:00-07:00')) {
  const config = loadConfig({ NODE_ENV: 'test' });
  const app = createApp({ db, clock, config });
  return { app, clock, config };
}

type App = ReturnType<typeof testApp>['app'];

export type RequestOptions = { cookie?: string; form?: Record<string, string>; htmx?: boolean; origin?: string | null; headers?: Record<string, string> };

export function request(app: App, method: 'GET' | 'POST', path: string, options: RequestOptions = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.cookie) headers.Cookie = options.cookie;
  if (options.htmx) Object.assign(headers, { 'HX-Request': 'true', 'HX-Request-Type': 'partial' });
  if (method === 'POST' && options.origin !== null) headers.Origin = options.origin ?? ORIGIN;
  let body: string | undefined;
  if (method === 'POST') {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form ?? {}).toString();
  }
  return app.request(`${ORIGIN}${path}`, { method, headers, body, redirect: 'manual' });
}

/** Signs in through the real form and returns the Cookie header for later requests. */
export async function signIn(app: App, username: string, password = PASSWORD): Promise<string> {
  const response = await request(app, 'POST', '/login', { form: { username, password } });
  const setCookie = response.headers.get('Set-Cookie');
  if (response.status !== 303 || !setCookie) throw new Error(`sign-in of ${username} failed: ${response.status}`);
  return setCookie.split(';')[0];
}

export async function dom(response: Response) {
  return parseHTML(await response.text()).document;
}

export async function count(db: Db, sql: string, args: (string | number)[] = []): Promise<number> {
  const result = await db.execute({ sql, args });
  return Number(Object.values(result.rows[0])[0]);
}

/** A clinic in the database file at `url`, migrated, with one panel and a clerk signed in to the app. */
export async function clerkOnFile(url: string) {
  const db = await openDatabase(url);
  try {
    await migrate(db);
    await addUser(db, 'clerk', ['cii_cpar_settings']);
    const panelId = await addPanel(db, 'North');
    const { app } = testApp(db);
    return { db, app, panelId, cookie: await signIn(app, 'clerk') };
  } catch (error) {
    db.close();
    throw error;
  }
}
