import { createClient } from '@libsql/client';
const db = createClient({ url: 'file:/tmp/cpar-bench-province-v3-da1789dd.db' });
const panels = (await db.execute('SELECT id FROM panels ORDER BY id LIMIT 400')).rows.map((r) => Number(r.id));
const day = '2026-06-15';
const ULI = 'https://fhir.infoway-inforoute.ca/NamingSystem/ca-ab-patient-healthcare-id';
const LV = 'https://cpar.example/fhir/StructureDefinition/last-visit-date';
console.log((await db.execute('select sqlite_version() v')).rows[0].v);
for (const variant of ['fmt', 'fmt-noidx', 'base']) {
  let t = performance.now(); let bytes = 0;
  for (const id of panels) {
    const inner = `SELECT ${variant === 'fmt-noidx' ? 'pt.id' : 'row_number() OVER (ORDER BY pt.id) - 1'} AS i, pt.uli, pt.last_name, pt.first_name, pt.birth_date, pt.gender, m.confirmed_on AS co,
               (SELECT max(v.visit_date) FROM visits v WHERE v.patient_id = pt.id AND v.visit_date <= ?) AS lv
          FROM panel_members m JOIN patients pt ON pt.id = m.patient_id
         WHERE m.panel_id = ? AND pt.status = 'active'`;
    const sql = variant === 'base' ? `SELECT group_concat(uli) AS c, count(*) AS m FROM (${inner})` : `SELECT group_concat(format('{"resourceType":"Patient","id":"patient-%d","identifier":[{"system":"${ULI}","value":%s}],"name":[{"use":"official","family":%s,"given":[%s]}],"gender":"%s","birthDate":%s}',
          i, json_quote(uli), json_quote(last_name), json_quote(first_name), CASE gender WHEN 'F' THEN 'female' WHEN 'M' THEN 'male' WHEN 'X' THEN 'other' ELSE 'unknown' END, json_quote(birth_date)), ',') AS c,
        group_concat(format('{"entity":{"reference":"#patient-%d"}%s%s}', i, iif(co IS NULL, '', format(',"period":{"start":%s}', json_quote(co))),
            iif(lv IS NULL, '', format(',"extension":[{"url":"${LV}","valueDate":%s}]', json_quote(lv)))), ',') AS m
        FROM (${inner}) ORDER BY i`;
    const r = await db.execute({ sql, args: [day, id] });
    bytes += String(r.rows[0].c).length + String(r.rows[0].m).length;
  }
  console.log(variant, (performance.now() - t).toFixed(0), 'ms', bytes);
}
