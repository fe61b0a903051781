// The monthly run due while the database's disk is full, for real (a small tmpfs filled to the
// last byte): every tick fails, and the heartbeat goes on (renewing no claim writes nothing), so
// readiness looks at the disk and at the ticks themselves. The database check fails on the disk's
// room; three failed ticks in a row make the scheduler check fail with the reason in words; each
// failure is counted, and the room left reported, for Prometheus; once there is room the next
// tick carries the run out and readiness is back.
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openDatabase } from '../../src/domain/database/db.ts';
import { migrate } from '../../src/domain/database/migrate.ts';
import { ManualClock } from '../../src/domain/time/clock.ts';
import { startScheduler } from '../../src/scheduler/scheduler.ts';
import { healthChecks } from '../../src/service/health.ts';
import { createMetrics } from '../../src/service/metrics.ts';
import { adapt } from '../../src/netcare-connection.ts';
import { startTestSimulator } from '../netcare/support/simulator.ts';
import { addUser, count } from '../support/app.ts';
import { addClinicPanel } from '../support/clinic.ts';
import { smallDisk } from '../support/disk.ts';
import { until } from '../support/processes.ts';

const full = suite('the scheduler on a full disk');

full('ticks that keep failing make readiness fail with the reason; with room again the run is done', async () => {
  const disk = smallDisk(64);
  const file = join(disk.dir, 'portal.db');
  const db = await openDatabase(`file:${file}`);
  const clock = new ManualClock('2027-03-15T21:00:00-06:00');
  const simulator = await startTestSimulator({ clock });
  const metrics = createMetrics(db, file);
  let scheduler: ReturnType<typeof startScheduler> | undefined;
  try {
    await migrate(db);
    const recipient = await addUser(db, 'jsmith');
    await addClinicPanel(db, { name: 'Good', recipient });
    await db.execute('PRAGMA wal_checkpoint(TRUNCATE)');
    disk.fill();
    const netcare = adapt(simulator.url, 'sim', 'disk-full-test', { retryBudgetMs: 500, timeoutMs: 300 });
    let failed = 0;
    scheduler = startScheduler({ db, clock, netcare, workerId: 'disk-full-test' },
      { pollIntervalMs: 25, heartbeatMs: 25, log: () => {}, failed: () => { failed++; metrics.tickFailed(); } });
    const running = scheduler;
    const health = healthChecks({ db, databaseFile: file, netcareUrl: simulator.url, now: () => new Date(),
      scheduler: { lastBeat: () => running.lastBeat(), everyMs: 25, failing: () => running.failing() } });

    await until(async () => failed >= 3, 10_000, 'three failed ticks');
    const refused = await health.readiness();
    assert.is(refused.ready, false);
    assert.is(refused.checks.database.ok, false);
    assert.is(refused.checks.database.detail, 'reachable and migrated, but its disk has 0 MB free: nothing can be saved');
    assert.is(refused.checks.scheduler.ok, false);
    assert.match(refused.checks.scheduler.detail, /^the last \d+ scheduled ticks failed, for \d+ s: the server's disk is full$/);
    const counted = Number(/^cpar_scheduler_tick_failures_total (\d+)$/m.exec(await metrics.registry.metrics())?.[1]);
    assert.ok(counted >= 3, `${counted} failed ticks counted`);
    assert.match(await metrics.registry.metrics(), /^cpar_database_disk_free_bytes 0$/m);
    assert.is(await count(db, 'SELECT count(*) FROM submissions'), 0);

    disk.makeRoom();
    await until(async () => (await count(db, "SELECT count(*) FROM submissions WHERE status IN ('Pending', 'Submitted')")) === 1, 10_000, 'the run carried out');
    const ready = await health.readiness();
    assert.is(ready.checks.scheduler.ok, true, ready.checks.scheduler.detail);
    assert.equal(ready.checks.database, { ok: true, detail: 'reachable and migrated' });
    const free = Number(/^cpar_database_disk_free_bytes (\d+)$/m.exec(await metrics.registry.metrics())?.[1]);
    assert.ok(free > 50 * 2 ** 20, `${free} bytes free on a 64 MB disk holding a small database`);
  } finally {
    await scheduler?.stop();
    await simulator.close();
    db.close();
    disk.unmount();
  }
});

full.run();
