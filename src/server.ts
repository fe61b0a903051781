import { serve } from '@hono/node-server';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { offsetClock, systemClock } from './domain/time/clock.ts';
import { openDatabase } from './domain/database/db.ts';
import { migrate } from './domain/database/migrate.ts';
import { isEmptyClinic, seedDemo } from './domain/demo/demo-seed.ts';
import { formatDemoUsers } from './demo-users.ts';
import { openPipeline, sendDemoSubmissions } from './run-pipeline.ts';
import { describeTick, startScheduler } from './scheduler/scheduler.ts';
import { createApp } from './app.tsx';
import { createMetrics } from './service/metrics.ts';
import { healthChecks } from './service/health.ts';
import { filePath } from './domain/database/file-path.ts';
import { watchDisk } from './service/disk-watch.ts';
import { sharedDatabase } from './threads/pool.ts';
import { startImportingThread } from './importer/pool.ts';

function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}

const config = configOrExit();
const clock = config.testClockOffsetMs === undefined ? systemClock : offsetClock(config.testClockOffsetMs);
const db = await openDatabase(config.databaseUrl, config.databaseAuthToken);
await migrate(db);

// A database file: the room on its disk is reported, checked for readiness and, when low, shown to staff.
const databaseFile = filePath(config.databaseUrl);
const metrics = createMetrics(db, databaseFile);
const { pipeline, connection } = await openPipeline(db, clock, config, metrics);

if (config.nodeEnv !== 'production' && (await isEmptyClinic(db))) {
  const demo = await seedDemo(db, clock);
  console.log(formatDemoUsers(demo.users));
  await sendDemoSubmissions(pipeline, demo.sendNow);
}

const scheduler = startScheduler(pipeline, {
  pollIntervalMs: config.pollIntervalMs,
  heartbeatMs: config.heartbeatMs,
  log: (report) => {
    metrics.tick(report);
    const line = describeTick(report);
    if (line) console.log(line);
  },
  failed: () => metrics.tickFailed(),
});

const health = healthChecks({
  db, databaseFile, netcareUrl: connection.netcare.url, now: () => new Date(),
  scheduler: { lastBeat: () => scheduler.lastBeat(), everyMs: config.heartbeatMs, failing: () => scheduler.failing() },
});
// An upload is read, checked and applied on a thread of its own, so pages stay responsive
// (an in-memory database cannot be shared with a thread: its imports run in place).
const importer = sharedDatabase(config.databaseUrl)
  ? startImportingThread({ databaseUrl: config.databaseUrl, authToken: config.databaseAuthToken }, clock) : undefined;
const disk = databaseFile ? watchDisk(databaseFile) : undefined;
const app = createApp({ db, clock, config, netcareLabel: connection.netcare.label, service: { metrics, health }, importer, disk });
const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
  const shown = info.address.includes(':') ? `[${info.address}]` : info.address;
  console.log(`CPAR portal on http://${shown}:${info.port} (database ${config.databaseUrl}; ${connection.netcare.label})`);
});

// Graceful shutdown: no new requests, the run in progress stops at a safe point (its sends
// in flight recorded, its claims released for the next portal), then the database closes.
let shuttingDown = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (shuttingDown) return;
    shuttingDown = true;
    console.log(JSON.stringify({ level: 'info', msg: 'shutting down', signal }));
    server.close();
    (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
    await scheduler.stop();
    await connection.close();
    await importer?.close();
    db.close();
    console.log(JSON.stringify({ level: 'info', msg: 'stopped', signal }));
    process.exit(0);
  });
}
