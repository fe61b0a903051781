// An import on the importing thread while the database's disk is full: the thread's error
// reaches the page with its code, so the clerk is told the disk is full (503) rather than to
// try again, and nothing of the upload is kept. With room again the same upload works.
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfig } from '../../src/config.ts';
import { ManualClock } from '../../src/domain/time/clock.ts';
import { openDatabase } from '../../src/domain/database/db.ts';
import { migrate } from '../../src/domain/database/migrate.ts';
import { createApp } from '../../src/app.tsx';
import { startImportingThread } from '../../src/importer/pool.ts';
import { addUser, count, signIn } from '../support/app.ts';
import { close, listen } from '../support/browser.ts';
import { clinicExtract } from '../support/clinic-extract.ts';
import { smallDisk } from '../support/disk.ts';

const full = suite('an import when the disk is full');

full('the upload says the disk is full, keeps nothing, and is read once there is room', async () => {
  const disk = smallDisk(32);
  const url = `file:${join(disk.dir, 'portal.db')}`;
  const db = await openDatabase(url);
  await migrate(db);
  await addUser(db, 'clerk', ['cii_cpar_settings']);
  const clock = new ManualClock('2026-11-10T12:00:00-07:00');
  const thread = startImportingThread({ databaseUrl: url }, clock);
  const app = createApp({ db, clock, config: loadConfig({ NODE_ENV: 'test' }), importer: thread });
  const cookie = await signIn(app, 'clerk');
  const { server, base } = await listen(app);
  try {
    const upload = () => {
      const form = new FormData();
      form.set('file', new File([clinicExtract(50)], 'clinic.json'));
      return fetch(`${base}/settings/cii-cpar/import`, { method: 'POST', headers: { cookie, origin: base }, body: form, redirect: 'manual' });
    };
    await db.execute('PRAGMA wal_checkpoint(TRUNCATE)');
    disk.fill();
    const refused = await upload();
    assert.is(refused.status, 503);
    assert.match(await refused.text(), "The server&#39;s disk is full, so the portal cannot save anything, and nothing was changed.");
    assert.is(await count(db, 'SELECT count(*) AS n FROM import_previews'), 0);

    disk.makeRoom();
    const read = await upload();
    assert.is(read.status, 303);
    assert.is(await count(db, 'SELECT count(*) AS n FROM import_previews'), 1);
  } finally {
    await close(server);
    await thread.close();
    db.close();
    disk.unmount();
  }
});

full.run();
