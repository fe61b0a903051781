import { edmontonInstant, edmontonParts } from '../time/edmonton.ts';

export const MONTHLY_JOB = 'monthly-run';
export const QUEUED_JOB = 'queued-run';
export const MONTHLY_RUN_DAY = 15;
export const LAST_SEND_DAY = 21;
/** a run due this long before the portal's first tick still counts as the portal's own */
export const START_GRACE_MS = 5 * 60_000;

export type DueRun = { job: typeof MONTHLY_JOB | typeof QUEUED_JOB; scheduledFor: Date };

/** The monthly run of the Edmonton month `monthsAfter` months after (year, month). */
export function monthlyInstant(year: number, month: number, monthsAfter = 0): Date {
  return edmontonInstant(year, month + monthsAfter, MONTHLY_RUN_DAY, 21);
}

/** The latest monthly run instant at or before `at` (this month's or last month's). */
export function latestMonthlyInstant(at: Date): Date {
  const { year, month } = edmontonParts(at);
  const thisMonth = monthlyInstant(year, month);
  return thisMonth <= at ? thisMonth : monthlyInstant(year, month, -1);
}

/**
 * The latest 21:00 send of this Edmonton month at or before `at`, while `at` is itself a
 * send day (1st–21st); after the 21st, and on the 1st before 21:00, there is none.
 */
export function latestSendThisMonth(at: Date): Date | null {
  const { year, month, day } = edmontonParts(at);
  if (day > LAST_SEND_DAY) return null;
  const today = edmontonInstant(year, month, day, 21);
  if (today <= at) return today;
  return day > 1 ? edmontonInstant(year, month, day - 1, 21) : null;
}

/**
 * The runs owed at `at`, done at once if they have not been:
 * - the latest monthly run, from its instant (the 15th, 21:00) until the next month's is
 *   due — on any day, because a late whole-clinic snapshot is better than a missing month;
 * - the latest 21:00 send of this month while it is a send day (1st–21st). A send missed on
 *   the 21st or earlier waits for 21:00 on the 1st once the 21st has passed. The 15th's
 *   send is the monthly run's.
 * A monthly run due before the portal was in service (`inServiceSince`, less the few
 * minutes a start may take) was never owed.
 */
export function dueRuns(at: Date, inServiceSince?: Date): DueRun[] {
  const monthly = latestMonthlyInstant(at);
  const owed = !inServiceSince || monthly.getTime() >= inServiceSince.getTime() - START_GRACE_MS;
  const due: DueRun[] = owed ? [{ job: MONTHLY_JOB, scheduledFor: monthly }] : [];
  const send = latestSendThisMonth(at);
  if (send && edmontonParts(send).day !== MONTHLY_RUN_DAY) due.push({ job: QUEUED_JOB, scheduledFor: send });
  return due;
}
