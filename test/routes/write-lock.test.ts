// Another connection holding the database's write lock (an import's Apply on its thread,
// another portal, the CLI): a request that writes waits for it without holding the server,
// so the other users' pages are answered meanwhile, and its write lands once the lock is free.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Db } from '../../src/domain/database/db.ts';
import { clerkOnFile, count, request, type testApp } from '../support/app.ts';
import { holdWriteLock, type Proc } from '../support/processes.ts';

const locked = suite('another connection holds the write lock');
const HOLD_MS = 1_500;

type Clinic = { db: Db; app: ReturnType<typeof testApp>['app']; cookie: string; panelId: number; holder: Proc; asked: number };

/** A clinic on a file, signed in, with another process holding the write lock from `asked` for HOLD_MS. */
async function whileLocked(test: (clinic: Clinic) => Promise<void>) {
  const url = `file:${join(mkdtempSync(join(tmpdir(), 'cpar-write-lock-')), 'portal.db')}`;
  const { db, app, panelId, cookie } = await clerkOnFile(url);
  try {
    const holder = await holdWriteLock(url, HOLD_MS);
    await test({ db, app, cookie, panelId, holder, asked: Date.now() });
    assert.is(await holder.exited, 0, holder.err());
  } finally {
    db.close();
  }
}

locked('a page that writes waits for the lock while a page asked meanwhile is answered; the write lands after', () =>
  whileLocked(async ({ db, app, cookie, panelId, asked }) => {
    // The members page writes its view to the audit trail before it answers.
    const members = request(app, 'GET', `/settings/cii-cpar/panels/${panelId}/members`, { cookie });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const read = await request(app, 'GET', '/inbox/unread-count', { cookie, htmx: true });
    const readAfter = Date.now() - asked;
    assert.is(read.status, 200);
    assert.ok(readAfter < HOLD_MS - 500, `the read was answered ${readAfter} ms after the members page was asked, the lock held ${HOLD_MS} ms`);
    assert.is((await members).status, 200);
    const membersAfter = Date.now() - asked;
    assert.ok(membersAfter >= HOLD_MS / 2, `the members page waited for the lock (${membersAfter} ms)`);
    assert.is(await count(db, "SELECT count(*) AS n FROM audit_log WHERE action = 'view' AND object_type = 'panel_members'"), 1);
  }));

locked('a Submit asked while the lock is held is queued once the lock is released, not refused', () =>
  whileLocked(async ({ db, app, cookie, panelId, asked }) => {
    const submit = await request(app, 'POST', `/settings/cii-cpar/panels/${panelId}/submissions`, { cookie, form: { anyway: 'yes' } });
    const answeredAfter = Date.now() - asked;
    assert.is(submit.status, 303);
    assert.ok(answeredAfter >= HOLD_MS / 2, `the Submit waited for the lock (${answeredAfter} ms)`);
    assert.is(await count(db, "SELECT count(*) AS n FROM submissions WHERE panel_id = ? AND status = 'Queued'", [panelId]), 1);
  }));

locked.run();
