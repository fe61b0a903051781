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

export type Target = { label: string; limit: number; unit: string; atMost: boolean; scales: Scale['name'][] };

/** The targets. They are set for --scale province; the demo run's holds everywhere. */
export const TARGETS = {
  runWall: { label: 'monthly run wall time', limit: 90, unit: 's', atMost: true, scales: ['province'] },
  runRss: { label: 'monthly run peak RSS (portal)', limit: 512, unit: 'MB', atMost: true, scales: ['province'] },
  runVsFloor: { label: 'monthly run / floor', limit: 3, unit: '×', atMost: true, scales: ['province'] },
  submissionsP99: { label: 'Submissions page p99', limit: 50, unit: 'ms', atMost: true, scales: ['province'] },
  submissionsShare: { label: 'Submissions page req/s vs trivial', limit: 40, unit: '%', atMost: false, scales: ['province'] },
  membersP99: { label: 'members page p99 (822-patient panel, audit rows included)', limit: 150, unit: 'ms', atMost: true, scales: ['province'] },
  membersAuditCost: { label: 'members page p99: audit rows per patient cost', limit: 10, unit: '%', atMost: true, scales: ['province'] },
  readiness: { label: 'readiness of every panel', limit: 1, unit: 's', atMost: true, scales: ['province'] },
  resubmitP99: { label: 'resubmit p99', limit: 50, unit: 'ms', atMost: true, scales: ['province'] },
  demoRun: { label: 'demo clinic monthly run', limit: 2, unit: 's', atMost: true, scales: ['clinic', 'province'] },
} satisfies Record<string, Target>;

export type TargetKey = keyof typeof TARGETS;
