import { serve } from '@hono/node-server';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { offsetClock, systemClock } from './domain/clock.ts';
import { openDatabase } from './domain/db.ts';
import { migrate } from './domain/migrate.ts';
import { isEmptyClinic, seedDemo } from './domain/demo-seed.ts';
import { formatDemoUsers } from './demo-users.ts';
import { openPipeline, sendDemoSubmissions } from './run-pipeline.ts';
import { describeTick, startScheduler } from './scheduler/scheduler.ts';
import { createApp } from './app.tsx';

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

const { pipeline, connection } = await openPipeline(db, clock, config);

if (config.nodeEnv !== 'production' && (await isEmptyClinic(db))) {
  const demo = await seedDemo(db, clock);
  console.log(formatDemoUsers(demo.users));
  await sendDemoSubmissions(pipeline, demo.sendNow);
}

const scheduler = startScheduler(pipeline, {
  pollIntervalMs: config.pollIntervalMs,
  heartbeatMs: config.heartbeatMs,
  log: (report) => {
    const line = describeTick(report);
    if (line) console.log(line);
  },
});

const app = createApp({ db, clock, config, netcareLabel: connection.netcare.label });
const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
  const shown = info.address.includes(':') ? `[${info.address}]` : info.address;
  console.log(`CPAR portal on http://${shown}:${info.port} (database ${config.databaseUrl}; ${connection.netcare.label})`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    server.close();
    await scheduler.stop();
    await connection.close();
    db.close();
    process.exit(0);
  });
}
