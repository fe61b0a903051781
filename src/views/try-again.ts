import { formatEdmontonDateTime } from '../domain/time/edmonton.ts';

/**
 * The Edmonton time from which a refused sign-in may try again, never early: to the second
 * when the wait is under a minute (a short delay), else the next whole minute.
 */
export function tryAgainTime(until: Date, now: Date): string {
  const short = until.getTime() - now.getTime() < 60_000;
  const step = short ? 1000 : 60_000;
  const at = new Date(Math.ceil(until.getTime() / step) * step);
  const hoursMinutes = formatEdmontonDateTime(at).slice(-5);
  return short ? `${hoursMinutes}:${String(at.getUTCSeconds()).padStart(2, '0')}` : hoursMinutes;
}

export const tooManyAttempts = (until: Date, now: Date) => `Too many attempts. Try again after ${tryAgainTime(until, now)}.`;
