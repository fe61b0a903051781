import { isAscii } from 'node:buffer';
import { openDatabase } from './src/domain/db.ts';
const db = await openDatabase('file:/tmp/cpar-bench-province-v3-da1789dd.db');
const ids = (await db.execute('SELECT id FROM panels ORDER BY id')).rows.map((r) => Number(r.id));
const day = '2026-06-15';
const LV = `(SELECT max(v.visit_date) FROM visits v WHERE v.patient_id = pt.id AND v.visit_date <= ?)`;
const FROM = `FROM panel_members m JOIN patients pt ON pt.id = m.patient_id WHERE m.panel_id = ? AND pt.status = 'active'`;
const t = { sql: 0, decode: 0, parse: 0, map: 0, sort: 0, batch3: 0 };
for (const id of ids) {
  let a = performance.now();
  const r = await db.execute({ sql: `SELECT CAST(json_group_array(json_array(pt.id, pt.uli, pt.last_name, pt.first_name, pt.birth_date, pt.gender, m.confirmed_on, ${LV})) AS BLOB) AS x ${FROM}`, args: [day, id] });
  let b = performance.now(); t.sql += b - a; a = b;
  const bytes = Buffer.from(r.rows[0].x as ArrayBuffer);
  const s = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
  b = performance.now(); t.decode += b - a; a = b;
  const arr = JSON.parse(s) as any[];
  b = performance.now(); t.parse += b - a; a = b;
  const objs = arr.map(([patientId, uli, lastName, firstName, birthDate, gender, confirmedOn, lastVisitOn]) => ({ patientId, uli, lastName, firstName, birthDate, gender, lastVisitOn, confirmedOn }));
  b = performance.now(); t.map += b - a; a = b;
  objs.sort((x, y) => x.patientId - y.patientId);
  b = performance.now(); t.sort += b - a; a = b;
  await db.batch([{ sql: 'SELECT id, name, panel_number FROM panels WHERE id = ?', args: [id] }, { sql: `SELECT pr.name, pr.practitioner_id FROM panel_practitioners pp JOIN practitioners pr ON pr.id = pp.practitioner_id WHERE pp.panel_id = ? ORDER BY pr.name, pr.id`, args: [id] }], 'read');
  b = performance.now(); t.batch3 += b - a; a = b;
}
console.log(Object.fromEntries(Object.entries(t).map(([k, v]) => [k, (v / 1000).toFixed(2)])));
