// The two sizes the benchmark knows, the instant its monthly run happens at, and the targets
// its figures are judged against (the "Provincial scale" issue).
import { edmontonInstant } from '../../src/domain/time/edmonton.ts';

/** Bump when the generated data changes: cached datasets of another version are rebuilt. */
export const GENERATOR_VERSION = 3;

export type Scale = {
  name: 'clinic' | 'province';
  panels: number;
  /** panel memberships in all, before the ~1% of shared patients */
  memberships: number;
  /** median panel size of the log-normal spread, and its bounds */
  medianSize: number;
  minSize: number;
  maxSize: number;
  /** clinics (each with a failure-notification user); panels are spread over them */
  clinics: number;
};

export const SCALES: Record<Scale['name'], Scale> = {
  // A large clinic: 8 panels, ~9,000 patients.
  clinic: { name: 'clinic', panels: 8, memberships: 9_000, medianSize: 1_000, minSize: 50, maxSize: 5_000, clinics: 1 },
  // Alberta on CPAR (early 2025): 2,724 providers, 909 clinics, ~2.9 million patients.
  province: { name: 'province', panels: 2_724, memberships: 2_900_000, medianSize: 900, minSize: 50, maxSize: 5_000, clinics: 909 },
};

/** The monthly run measured: the 15th at 21:00 America/Edmonton (03:00Z on the 16th, MDT). */
export const RUN_AT = edmontonInstant(2026, 6, 15, 21);
/** When the pages and the resubmits are measured: the next morning, after the run. */
export const PAGES_AT = edmontonInstant(2026, 6, 16, 9, 30);
/** The demo clinic is seeded a few days before its run. */
export const DEMO_SEEDED_AT = edmontonInstant(2026, 6, 10, 11);
export const DEMO_RUN_AT = edmontonInstant(2026, 6, 15, 21);

/** The signed-in user the pages are requested as (also a failure-notification recipient). */
export const BENCH_USER = { username: 'bench-clerk', fullName: 'Bench Clerk', password: 'bench clerk passphrase 1' };

/** How the bench ran: on a quiet machine with the database a file, with --busy, or with --database sqld. */
export type Condition = 'normal' | 'busy' | 'sqld';

/**
 * `busy` / `sqld`: the limit in a --busy run or on sqld when it differs from `limit`; null
 * when the figure is shown there but not judged.
 */
export type Target = {
  label: string; limit: number; unit: string; atMost: boolean; scales: Scale['name'][];
  busy?: number | null; sqld?: number | null;
};

/** The targets. They are set for --scale province; the demo run's holds everywhere. */
export const TARGETS = {
  runWall: { label: 'monthly run wall time', limit: 60, unit: 's', atMost: true, scales: ['province'], busy: 90, sqld: 90 },
  runRss: { label: 'monthly run peak RSS (portal)', limit: 256, unit: 'MB', atMost: true, scales: ['province'] },
  // The portal's own cost, whatever Netcare's (the simulator's CPU is shown apart). Issue 16
  // judges the run on it instead of issue 14's wall ÷ floor (≤ 3×), which includes the
  // simulator's work on the same cores; that ratio is still printed.
  runCpuVsFloor: { label: 'monthly run portal CPU / floor', limit: 2, unit: '×', atMost: true, scales: ['province'], busy: null, sqld: null },
  // Issue 16: the stricter page targets of a normal run; a busy run or sqld keeps the previous ones.
  submissionsP99: { label: 'Submissions page p99', limit: 50, unit: 'ms', atMost: true, scales: ['province'], busy: 100, sqld: 100 },
  submissionsShare: { label: 'Submissions page req/s vs trivial', limit: 40, unit: '%', atMost: false, scales: ['province'], busy: 25, sqld: null },
  membersP99: { label: 'members page p99 (822-patient panel, audit rows included)', limit: 150, unit: 'ms', atMost: true, scales: ['province'] },
  membersAuditCost: { label: 'members page p99: audit rows per patient cost', limit: 10, unit: '%', atMost: true, scales: ['province'], busy: null, sqld: null },
  readiness: { label: 'readiness of every panel', limit: 1, unit: 's', atMost: true, scales: ['province'] },
  resubmitP99: { label: 'resubmit p99', limit: 50, unit: 'ms', atMost: true, scales: ['province'] },
  demoRun: { label: 'demo clinic monthly run', limit: 2, unit: 's', atMost: true, scales: ['clinic', 'province'] },
} satisfies Record<string, Target>;

export type TargetKey = keyof typeof TARGETS;
