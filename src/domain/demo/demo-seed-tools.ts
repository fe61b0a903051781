// The demo clinic's plumbing: calendar arithmetic on Edmonton dates, the runs its history
// came from, and one-statement bulk inserts.
import type { InStatement } from '@libsql/client';
import { edmontonInstant, edmontonParts } from '../time/edmonton.ts';
import { dueRuns, type DueRun } from '../pipeline/runs.ts';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** Every run the scheduler would have done from the first monthly run to now. */
export function pastRuns(from: Date, now: Date): DueRun[] {
  const seen = new Map<string, DueRun>();
  for (let t = from.getTime(); t <= now.getTime(); t += HOUR) {
    for (const due of dueRuns(new Date(t))) seen.set(`${due.job}@${due.scheduledFor.getTime()}`, due);
  }
  return [...seen.values()].filter((r) => r.scheduledFor >= from);
}

/** The monthly runs (the 15th, 21:00 Edmonton) over a day before `now`, so their outcomes are all past; oldest first. */
export function monthlyRuns(now: Date, count: number): Date[] {
  const runs: Date[] = [];
  let { year, month } = edmontonParts(now);
  while (runs.length < count) {
    const at = edmontonInstant(year, month, 15, 21);
    if (at.getTime() <= now.getTime() - DAY) runs.unshift(at);
    if (--month === 0) [year, month] = [year - 1, 12];
  }
  return runs;
}

/** One INSERT for all rows: each row is a JSON array, read back by position. */
export function bulk(table: string, columns: string[], rows: unknown[][]): InStatement {
  const values = columns.map((_, i) => `value ->> ${i}`).join(', ');
  return { sql: `INSERT INTO ${table} (${columns.join(', ')}) SELECT ${values} FROM json_each(?)`, args: [JSON.stringify(rows)] };
}

export function ymd(date: string): [number, number, number] {
  const [y, m, d] = date.split('-').map(Number);
  return [y, m, d];
}

export function addDays(date: string, days: number): string {
  const [y, m, d] = ymd(date);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export function shuffle<T>(rng: () => number, list: T[]): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}
