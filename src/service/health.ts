// Liveness and readiness, as a load balancer or an orchestrator asks for them. Each check
// says ok or not and why, in words about the service — never a patient, a panel or a secret.
import type { Db } from '../domain/database/db.ts';
import { readMigrations } from '../domain/database/migrate.ts';
import { send } from '../netcare/http.ts';
import { TROUBLE_WORDS } from '../domain/database/trouble.ts';
import { diskFreeBytes, FULL_BELOW_BYTES } from './disk-watch.ts';
import type { Failing } from '../scheduler/scheduler.ts';

export type Check = { ok: boolean; detail: string };
export type Readiness = { ready: boolean; checks: { database: Check; scheduler: Check; netcare: Check } };

export type HealthProbes = {
  db: Db;
  /** the database's file, when it is one: the room left on its disk is checked too */
  databaseFile?: string | null;
  /** when the scheduler last renewed its claims (or started), how often it should, and its ticks failing in a row */
  scheduler: null | { lastBeat(): Date; everyMs: number; failing(): Failing | null };
  /** Netcare's address: any HTTP answer means it is reachable */
  netcareUrl: string;
  now(): Date;
};

/** Reachable and migrated: every migration this version ships is applied; and, for a file, room on its disk. */
async function database(db: Db, file: string | null | undefined, shipped: readonly number[]): Promise<Check> {
  try {
    const applied = new Set((await db.execute('SELECT version FROM schema_migrations')).rows.map((r) => Number(r.version)));
    const missing = shipped.filter((version) => !applied.has(version)).length;
    if (missing) return { ok: false, detail: `${missing} migration(s) not applied` };
  } catch {
    return { ok: false, detail: 'not reachable' };
  }
  let free: number | null = null;
  try {
    free = file ? diskFreeBytes(file) : null;
  } catch {
    // a disk that cannot be asked is not said to be full
  }
  if (free !== null && free < FULL_BELOW_BYTES) {
    return { ok: false, detail: `reachable and migrated, but its disk has ${Math.floor(free / 2 ** 20)} MB free: nothing can be saved` };
  }
  return { ok: true, detail: 'reachable and migrated' };
}

/** Ticks failing this many times in a row mean the scheduled work is not being done (one can be a passing moment). */
export const FAILED_TICKS = 3;

/**
 * The heartbeat beats every `everyMs`; three missed beats mean the scheduler is stuck. A
 * heartbeat can go on while every tick fails (renewing no claim writes nothing, and a full
 * disk refuses only writes): three failed ticks in a row mean no run is being carried out.
 */
function scheduler(probe: HealthProbes['scheduler'], now: Date): Check {
  if (!probe) return { ok: false, detail: 'not running in this process' };
  const ago = now.getTime() - probe.lastBeat().getTime();
  const seconds = Math.round(ago / 1000);
  if (ago > 3 * probe.everyMs) return { ok: false, detail: `no heartbeat for ${seconds} s` };
  const failing = probe.failing();
  if (failing && failing.ticks >= FAILED_TICKS) {
    const since = Math.round((now.getTime() - failing.since.getTime()) / 1000);
    const why = failing.trouble ? TROUBLE_WORDS[failing.trouble] : 'see the log';
    return { ok: false, detail: `the last ${failing.ticks} scheduled ticks failed, for ${since} s: ${why}` };
  }
  return { ok: true, detail: `last heartbeat ${seconds} s ago` };
}

const NETCARE_PROBE_MS = 2_000;
const NETCARE_CACHE_MS = 15_000;

export function healthChecks(probes: HealthProbes): { readiness(): Promise<Readiness> } {
  // The migrations this version ships are read from disk once, not at every probe.
  const shipped = readMigrations().map((m) => m.version);
  // Netcare is asked at most every 15 s, however often the orchestrator polls.
  let netcare: { at: number; check: Check } | null = null;
  const netcareCheck = async (): Promise<Check> => {
    const now = Date.now();
    if (netcare && now - netcare.at < NETCARE_CACHE_MS) return netcare.check;
    const answer = await send(probes.netcareUrl, { method: 'GET', headers: {} }, NETCARE_PROBE_MS);
    const check = 'status' in answer ? { ok: true, detail: `answered (HTTP ${answer.status})` } : { ok: false, detail: answer.failed };
    netcare = { at: now, check };
    return check;
  };
  return {
    async readiness() {
      const [db, nc] = await Promise.all([database(probes.db, probes.databaseFile, shipped), netcareCheck()]);
      const checks = { database: db, scheduler: scheduler(probes.scheduler, probes.now()), netcare: nc };
      return { ready: checks.database.ok && checks.scheduler.ok && checks.netcare.ok, checks };
    },
  };
}
