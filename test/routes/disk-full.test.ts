// The database's disk full, for real: the database on a small tmpfs with a filler file taking
// every byte that is left. Trying again cannot help, so the portal says what is wrong and who
// can fix it, changes nothing, and answers an htmx action in the page's #flash rather than in
// place of the row that asked (htmx 4 swaps an error's body like any other). Once there is
// room again, the same action works. Mounting the tmpfs needs root, as CI runs.
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openDatabase } from '../../src/domain/database/db.ts';
import { migrate } from '../../src/domain/database/migrate.ts';
import { verifyChain } from '../../src/domain/audit/audit-chain.ts';
import { smallDisk } from '../support/disk.ts';
import { createApp } from '../../src/app.tsx';
import { loadConfig } from '../../src/config.ts';
import { ManualClock } from '../../src/domain/time/clock.ts';
import { watchDisk } from '../../src/service/disk-watch.ts';
import { addPanel, addUser, clerkOnFile, count, dom, request, signIn } from '../support/app.ts';

const full = suite('the database disk is full');

full('a Submit and a members page say the disk is full, change nothing, and work once there is room', async () => {
  const disk = smallDisk();
  const { db, app, panelId, cookie } = await clerkOnFile(`file:${join(disk.dir, 'portal.db')}`);
  try {
    // Everything into the database file, the WAL emptied: the next write has to grow the WAL.
    await db.execute('PRAGMA wal_checkpoint(TRUNCATE)');
    disk.fill();

    const submit = () => request(app, 'POST', `/settings/cii-cpar/panels/${panelId}/submissions`, { cookie, htmx: true, form: { anyway: 'yes' } });
    const refused = await submit();
    assert.is(refused.status, 503);
    assert.is(refused.headers.get('HX-Retarget'), '#flash', 'the message goes to #flash, not in place of the row');
    const flash = (await dom(refused)).querySelector('#flash [role=alert]')?.textContent ?? '';
    assert.match(flash, "The server's disk is full, so the portal cannot save anything, and nothing was changed.");
    assert.match(flash, /Tell whoever looks after the server; give them this reference: [0-9a-f]{8}\./);
    assert.is(await count(db, 'SELECT count(*) AS n FROM submissions WHERE panel_id = ?', [panelId]), 0);

    // A page that audits its view is not shown without its entry, and says why.
    const members = await request(app, 'GET', `/settings/cii-cpar/panels/${panelId}/members`, { cookie });
    assert.is(members.status, 503);
    const page = await dom(members);
    assert.is(page.querySelector('h1')?.textContent, 'The portal cannot save right now');
    assert.match(page.querySelector('main')?.textContent ?? '', "The server's disk is full");
    assert.ok(page.querySelector('nav'), 'the page keeps the portal\'s navigation');

    disk.makeRoom();
    const queued = await submit();
    assert.is(queued.status, 200);
    assert.is(await count(db, "SELECT count(*) AS n FROM submissions WHERE panel_id = ? AND status = 'Queued'", [panelId]), 1);
    assert.is((await request(app, 'GET', `/settings/cii-cpar/panels/${panelId}/members`, { cookie })).status, 200);
    assert.ok((await verifyChain(db)).ok, 'the audit trail verifies: nothing was half-written');
  } finally {
    db.close();
    disk.unmount();
  }
});

/** A clinic on a 64 MB tmpfs whose app warns below 32 MB, measuring the disk every `everyMs`. */
async function watchedClinic(everyMs: number) {
  const disk = smallDisk(64);
  const file = join(disk.dir, 'portal.db');
  const db = await openDatabase(`file:${file}`);
  await migrate(db);
  await addUser(db, 'clerk', ['cii_cpar_settings']);
  await addUser(db, 'physician');
  const panelId = await addPanel(db, 'North');
  const app = createApp({ db, clock: new ManualClock('2026-11-10T12:00:00-07:00'), config: loadConfig({ NODE_ENV: 'test' }),
    disk: watchDisk(file, { everyMs, warnBelowBytes: 32 * 2 ** 20 }) });
  return { disk, db, app, panelId, done() { db.close(); disk.unmount(); } };
}

full('staff who run the submissions are told when the disk runs low, and when it is full; others are not', async () => {
  // Measured at every request here (once a minute in the portal).
  const { disk, app, done } = await watchedClinic(0);
  try {
    const [clerk, physician] = [await signIn(app, 'clerk'), await signIn(app, 'physician')];
    const told = async (cookie: string, path = '/settings/cii-cpar/submissions') => {
      const response = await request(app, 'GET', path, { cookie });
      assert.is(response.status, 200);
      return (await dom(response)).querySelector('.disk-low[role=status]')?.textContent ?? null;
    };
    assert.is(await told(clerk), null, 'room enough: nothing said');

    disk.fill(20 * 2 ** 20);
    assert.match(await told(clerk) ?? '', /^The server's disk has (19|20) MB left\. The monthly CPAR run on the 15th needs room to save its work\. Tell whoever looks after the server\.$/);
    assert.is(await told(physician, '/inbox'), null, 'not for someone who neither runs the submissions nor manages the portal');

    disk.makeRoom();
    disk.fill();
    assert.match(await told(clerk) ?? '', "The server's disk is full: the portal cannot save anything, and the CPAR submissions cannot be sent.");

    disk.makeRoom();
    assert.is(await told(clerk), null, 'the page kept at the same data version is not served with the old warning');
  } finally {
    done();
  }
});

full('a write refused for want of room brings the warning up to date with it', async () => {
  // Measured once an hour: without the refused write the warning would still say there is room.
  const { disk, db, app, panelId, done } = await watchedClinic(3_600_000);
  try {
    const cookie = await signIn(app, 'clerk');
    disk.fill(20 * 2 ** 20);
    const before = await request(app, 'GET', '/settings/cii-cpar/submissions', { cookie });
    assert.match((await dom(before)).querySelector('.disk-low')?.textContent ?? '', /has (19|20) MB left/);
    disk.makeRoom();
    await db.execute('PRAGMA wal_checkpoint(TRUNCATE)');
    disk.fill();
    const members = await request(app, 'GET', `/settings/cii-cpar/panels/${panelId}/members`, { cookie });
    assert.is(members.status, 503);
    assert.match((await dom(members)).querySelector('.disk-low')?.textContent ?? '', "The server's disk is full");
  } finally {
    done();
  }
});

full.run();
