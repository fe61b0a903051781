// The floor of the monthly run: one SQL statement that computes what extraction must read at
// least — for every membership of every active CPAR panel whose patient is active, the
// confirmation date and the last visit up to the run's Edmonton day — with every row read.
import Database from 'libsql';
import { openDatabase } from '../../src/domain/database/db.ts';
import { edmontonDate } from '../../src/domain/time/edmonton.ts';
import { peakRssMb, resetPeakRss } from './proc.ts';

const FROM = `FROM panels p JOIN panel_members m ON m.panel_id = p.id JOIN patients pt ON pt.id = m.patient_id
 WHERE p.active = 1 AND p.cpar_enabled = 1 AND pt.status = 'active'`;
const LAST_VISIT = '(SELECT max(v.visit_date) FROM visits v WHERE v.patient_id = m.patient_id AND v.visit_date <= ?) AS last_visit_on';

export const FLOOR_SQL = `SELECT m.panel_id, m.patient_id, m.confirmed_on, ${LAST_VISIT} ${FROM}`;
/** The same with the demographics a snapshot carries (what a payload needs besides the dates). */
export const FULL_SQL = `SELECT m.panel_id, pt.id, pt.uli, pt.last_name, pt.first_name, pt.birth_date, pt.gender,
  m.confirmed_on, ${LAST_VISIT} ${FROM} ORDER BY m.panel_id, pt.id`;

/** Streams the statement's rows (the native driver's iterator, raw arrays) and counts them. */
function streamed(path: string, sql: string, day: string) {
  const db = new Database(path, { readonly: true });
  try {
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    let rows = 0;
    let withVisit = 0;
    for (const row of db.prepare(sql).raw(true).iterate(day) as Iterable<unknown[]>) {
      rows++;
      if (row[row.length - 1] !== null) withVisit++;
    }
    const cpu = process.cpuUsage(cpuBefore);
    return { seconds: (performance.now() - started) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, rows, withVisit };
  } finally {
    db.close();
  }
}

/** The same statement counted inside SQLite: what the engine costs without handing rows to JS. */
function inEngine(path: string, sql: string, day: string): number {
  const db = new Database(path, { readonly: true });
  try {
    const started = performance.now();
    db.prepare(`SELECT count(*) FROM (${sql})`).raw(true).get(day);
    return (performance.now() - started) / 1000;
  } finally {
    db.close();
  }
}

/**
 * A floor is the best the machine can do: the faster of two passes, after a warm-up read of
 * the visits (the same warm page cache for all).
 */
export function floorPasses(path: string, at: Date) {
  const day = edmontonDate(at);
  streamed(path, 'SELECT count(*) FROM visits WHERE visit_date <= ?', day);
  const [first, second] = [streamed(path, FLOOR_SQL, day), streamed(path, FLOOR_SQL, day)];
  return { ...(first.seconds <= second.seconds ? first : second), passes: [first.seconds, second.seconds] };
}

export async function measureFloor(path: string, at: Date) {
  const day = edmontonDate(at);
  resetPeakRss();
  const floor = floorPasses(path, at);
  const floorPeak = peakRssMb();
  const engineSeconds = inEngine(path, FLOOR_SQL, day);
  const full = streamed(path, FULL_SQL, day);
  // The project's client materialises every row as an object: the cost of one big read through it.
  const db = await openDatabase(`file:${path}`);
  resetPeakRss();
  const started = performance.now();
  const result = await db.execute({ sql: FLOOR_SQL, args: [day] });
  const clientSeconds = (performance.now() - started) / 1000;
  const clientRows = result.rows.length;
  db.close();
  return {
    sql: FLOOR_SQL, ...floor, peakRssMb: floorPeak, engineSeconds,
    fullColumns: { seconds: full.seconds, rows: full.rows },
    throughClient: { seconds: clientSeconds, rows: clientRows, peakRssMb: peakRssMb() },
  };
}
