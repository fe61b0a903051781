// The service surface, over real HTTP: liveness, readiness with each check's state, and
// Prometheus metrics for this machine or a bearer token only — never health information.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfig } from '../../src/config.ts';
import { createApp } from '../../src/app.tsx';
import { ManualClock } from '../../src/domain/time/clock.ts';
import type { Db } from '../../src/domain/database/db.ts';
import { createMetrics } from '../../src/service/metrics.ts';
import { healthChecks } from '../../src/service/health.ts';
import { instrumentNetcare } from '../../src/service/instrument-netcare.ts';
import { adapt } from '../../src/netcare-connection.ts';
import { startTestSimulator } from '../netcare/support/simulator.ts';
import { addPanel, addSubmission, addUser, freshDb, PASSWORD } from '../support/app.ts';
import { addClinicPanel } from '../support/clinic.ts';
import { close, listen } from '../support/browser.ts';

const service = suite('health and metrics endpoints');
const TOKEN = 'a-long-enough-metrics-token-0123';

type Served = { base: string; stop(): Promise<void>; beat: { at: Date } };

async function serve(db: Db, netcareUrl: string): Promise<Served> {
  const metrics = createMetrics(db);
  const beat = { at: new Date() };
  const health = healthChecks({ db, netcareUrl, now: () => new Date(), scheduler: { lastBeat: () => beat.at, everyMs: 10_000, failing: () => null } });
  const config = loadConfig({ NODE_ENV: 'test', METRICS_TOKEN: TOKEN });
  const app = createApp({ db, clock: new ManualClock(new Date()), config, service: { metrics, health } });
  // A Netcare call through the instrumented port, as the pipeline makes them.
  await instrumentNetcare(adapt(netcareUrl, 'test', 'metrics-test', { retryBudgetMs: 200, timeoutMs: 200 }), metrics).lookup(1);
  const { server, base } = await listen(app);
  return { base, beat, stop: () => close(server) };
}

service('liveness: the process answers, with nothing but that', async () => {
  const simulator = await startTestSimulator();
  const served = await serve(await freshDb(), simulator.url);
  try {
    const res = await fetch(`${served.base}/healthz`);
    assert.is(res.status, 200);
    assert.equal(await res.json(), { status: 'alive' });
  } finally {
    await served.stop();
    await simulator.close();
  }
});

service('readiness: each check with its state; any failing one makes it 503', async () => {
  const simulator = await startTestSimulator();
  const db = await freshDb();
  const served = await serve(db, simulator.url);
  try {
    const ready = await fetch(`${served.base}/readyz`);
    assert.is(ready.status, 200);
    const body = await ready.json() as { status: string; checks: Record<string, { ok: boolean; detail: string }> };
    assert.is(body.status, 'ready');
    assert.equal(Object.keys(body.checks), ['database', 'scheduler', 'netcare']);
    assert.ok(Object.values(body.checks).every((c) => c.ok));
    // A scheduler that has not beaten for three intervals is stuck.
    served.beat.at = new Date(Date.now() - 31_000);
    const stuck = await fetch(`${served.base}/readyz`);
    assert.is(stuck.status, 503);
    const stuckBody = await stuck.json() as typeof body;
    assert.equal([stuckBody.checks.scheduler.ok, stuckBody.checks.database.ok], [false, true]);
    assert.match(stuckBody.checks.scheduler.detail, 'no heartbeat for 31 s');
  } finally {
    await served.stop();
    await simulator.close();
  }
});

service('readiness: an unmigrated database and an unreachable Netcare say so', async () => {
  const simulator = await startTestSimulator();
  const url = simulator.url;
  await simulator.close(); // nothing listens there now
  const db = await freshDb();
  await db.execute("DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)");
  const served = await serve(db, url);
  try {
    const res = await fetch(`${served.base}/readyz`);
    assert.is(res.status, 503);
    const body = await res.json() as { checks: Record<string, { ok: boolean; detail: string }> };
    assert.equal(body.checks.database, { ok: false, detail: '1 migration(s) not applied' });
    assert.is(body.checks.netcare.ok, false);
    assert.match(body.checks.netcare.detail, 'connection failed');
  } finally {
    await served.stop();
  }
});

service('metrics: requests by route pattern and status, submissions by status, Netcare calls; no patient data', async () => {
  const simulator = await startTestSimulator();
  const db = await freshDb();
  await addUser(db, 'clerk', ['cii_cpar_settings']);
  const { panelId } = await addClinicPanel(db, { name: 'Metrics Clinic', patients: 2 });
  await addSubmission(db, panelId, { status: 'Failed', createdAt: '2026-10-15T21:00:00-06:00', briefError: 'x' });
  await addSubmission(db, await addPanel(db, 'Other'), { status: 'Queued', createdAt: '2026-11-01T10:00:00-06:00' });
  const served = await serve(db, simulator.url);
  try {
    const login = await fetch(`${served.base}/login`, {
      method: 'POST', redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: served.base },
      body: new URLSearchParams({ username: 'clerk', password: PASSWORD }),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0];
    assert.is((await fetch(`${served.base}/settings/cii-cpar/panels/${panelId}/members`, { headers: { Cookie: cookie } })).status, 200);
    await fetch(`${served.base}/no/such/page`, { redirect: 'manual' });
    const res = await fetch(`${served.base}/metrics`);
    assert.is(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', 'text/plain');
    const text = await res.text();
    assert.match(text, 'cpar_http_requests_total{route="/settings/cii-cpar/panels/:panelId{[0-9]+}/members",method="GET",status="200"} 1');
    // An anonymous request for no route is sent to sign in: counted, under no pattern of its own.
    assert.match(text, 'cpar_http_requests_total{route="unmatched",method="GET",status="302"} 1');
    assert.match(text, /cpar_http_request_duration_seconds_bucket\{le="0.005",route="\/login",method="POST"\}/);
    assert.match(text, 'cpar_submissions{status="Queued"} 1');
    assert.match(text, 'cpar_submissions{status="Failed"} 1');
    assert.match(text, /cpar_netcare_request_duration_seconds_count\{call="lookup",outcome="unknown_key"\} 1/);
    assert.match(text, 'process_resident_memory_bytes');
    const names = (await db.execute('SELECT last_name, first_name, uli FROM patients')).rows;
    for (const p of names) for (const value of Object.values(p)) assert.not.match(text, String(value));
    assert.not.match(text, `/panels/${panelId}/`);
  } finally {
    await served.stop();
    await simulator.close();
  }
});

service('metrics: a forwarded request needs the bearer token; a wrong one is refused', async () => {
  const simulator = await startTestSimulator();
  const served = await serve(await freshDb(), simulator.url);
  try {
    const forwarded = { 'X-Forwarded-For': '203.0.113.9' };
    assert.is((await fetch(`${served.base}/metrics`, { headers: forwarded })).status, 403);
    assert.is((await fetch(`${served.base}/metrics`, { headers: { ...forwarded, Authorization: `Bearer ${TOKEN.slice(1)}x` } })).status, 403);
    assert.is((await fetch(`${served.base}/metrics`, { headers: { ...forwarded, Authorization: `Bearer ${TOKEN}` } })).status, 200);
  } finally {
    await served.stop();
    await simulator.close();
  }
});

service.run();
