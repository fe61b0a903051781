import { openDatabase } from './src/domain/database/db.ts';
import { CARRY_FORWARD } from './src/domain/panels/readiness-carry.ts';
import { readinessOfCparPanels } from './src/domain/panels/readiness.ts';
const db = await openDatabase('file:/tmp/r5-readiness/p.db');
const time = async (label: string, f: () => Promise<unknown>) => {
  const t = performance.now(); const c0 = process.cpuUsage();
  await f();
  const c = process.cpuUsage(c0);
  console.log(label.padEnd(28), ((performance.now() - t) / 1000).toFixed(2), 's wall', ((c.user + c.system) / 1e6).toFixed(2), 's cpu', (process.memoryUsage().rss / 2 ** 20).toFixed(0), 'MB rss');
};
const mode = process.argv[2];
if (mode === 'gather') await time('gather 12-14', () => readinessOfCparPanels(db, new Date('2026-12-14T21:00:00-07:00')));
if (mode === 'carry') {
  await db.execute('BEGIN');
  await time('carry statement', () => db.execute({ sql: CARRY_FORWARD(''), args: ['2026-12-15', 0, '2026-12-14'] }));
  await db.execute('ROLLBACK');
}
if (mode === 'all') await time('readiness 12-15', () => readinessOfCparPanels(db, new Date('2026-12-15T21:00:00-07:00')));
if (mode === 'both') {
  await time('gather 12-14', () => readinessOfCparPanels(db, new Date('2026-12-14T21:00:00-07:00')));
  await time('readiness 12-15', () => readinessOfCparPanels(db, new Date('2026-12-15T21:00:00-07:00')));
  await time('again 12-15', () => readinessOfCparPanels(db, new Date('2026-12-15T21:00:00-07:00')));
}
