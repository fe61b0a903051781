import { Cron } from 'croner';
import { edmontonDate, edmontonParts, formatEdmontonDateTime, monthName, TIME_ZONE } from '../time/edmonton.ts';
import { dueRuns, MONTHLY_RUN_DAY } from './schedule.ts';

/** Submissions go out at 21:00 Edmonton on the 1st–21st; the 15th is the monthly run. */
export const SEND_PATTERN = '0 21 1-21 * *';
export { MONTHLY_RUN_DAY };

const sendSchedule = new Cron(SEND_PATTERN, { timezone: TIME_ZONE, paused: true });

export type SendTime = {
  at: Date;
  /** true when the submission goes out with the monthly run of the 15th */
  monthlyRun: boolean;
  /** how the Submissions page says it: "21:00 tonight", "Tue 16 December 21:00", … */
  label: string;
};

/**
 * When a panel queued at `now` will be sent: the next 21:00 (Edmonton) that falls on the
 * 1st–21st, strictly after `now`. On the 15th before 21:00 that is the monthly run; after
 * the 21st it is 21:00 on the 1st of the next month.
 */
export function nextSendTime(now: Date): SendTime {
  const at = sendSchedule.nextRun(now);
  if (!at) throw new Error('the send schedule has no next run');
  const local = edmontonParts(at);
  const monthlyRun = local.day === MONTHLY_RUN_DAY;
  let label: string;
  if (edmontonDate(at) === edmontonDate(now)) {
    label = monthlyRun ? "21:00 tonight, with the monthly run" : '21:00 tonight';
  } else if (local.day === 1) {
    label = `1 ${monthName(local.month)} 21:00`;
  } else {
    label = `${local.weekday} ${local.day} ${monthName(local.month)} 21:00${monthlyRun ? ', with the monthly run' : ''}`;
  }
  return { at, monthlyRun, label };
}

/**
 * What the row of a submission Queued at `queuedAt` says at `now`. Until its send time
 * passes: when it will be sent. Once that send was missed (no portal ran then): that it was
 * missed, and when it goes instead — at the next check when a run owed now covers it (the
 * catch-up rule in schedule.ts), otherwise at the next send time.
 */
export function queuedSendNote(queuedAt: Date, now: Date): string {
  const promised = nextSendTime(queuedAt);
  if (promised.at > now) return `Will be sent ${nextSendTime(now).label}`;
  const caughtUp = dueRuns(now).some((run) => run.scheduledFor >= promised.at);
  return `The send of ${formatEdmontonDateTime(promised.at)} was missed; `
    + (caughtUp ? 'it will be sent at the portal’s next check, within a minute' : `it will be sent ${nextSendTime(now).label}`);
}
