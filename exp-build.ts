import { createClient } from '@libsql/client';
const db = createClient({ url: 'file:/tmp/cpar-bench-province-v3-da1789dd.db' });
const panels = (await db.execute('SELECT id FROM panels ORDER BY id LIMIT 400')).rows.map((r) => Number(r.id));
const day = '2026-06-15';
const ULI = 'https://fhir.infoway-inforoute.ca/NamingSystem/ca-ab-patient-healthcare-id';
const LV = 'https://cpar.example/fhir/StructureDefinition/last-visit-date';
const texts: string[] = [];
let t = performance.now();
for (const id of panels) {
  const r = await db.execute({ sql: `SELECT json_group_array(json_array(pt.id, pt.uli, pt.last_name, pt.first_name, pt.birth_date, pt.gender,
                       m.confirmed_on,
                       (SELECT max(v.visit_date) FROM visits v WHERE v.patient_id = pt.id AND v.visit_date <= ?)) ORDER BY pt.id) AS members
                FROM panel_members m JOIN patients pt ON pt.id = m.patient_id
               WHERE m.panel_id = ? AND pt.status = 'active'`, args: [day, id] });
  texts.push(String(r.rows[0].members));
}
console.log('sql', (performance.now() - t).toFixed(0), 'ms', texts.reduce((a, s) => a + s.length, 0));
t = performance.now();
const parsed = texts.map((s) => JSON.parse(s) as any[]);
console.log('parse', (performance.now() - t).toFixed(0), 'ms');
const G: Record<string, string> = { F: 'female', M: 'male', X: 'other', U: 'unknown' };
const q = (s: string) => (/["\\\u0000-\u001f\u2028\u2029]/.test(s) ? JSON.stringify(s) : '"' + s + '"');
for (const variant of ['concat', 'parts', 'objects']) {
  t = performance.now(); let bytes = 0;
  for (const ms of parsed) {
    let out: Buffer;
    if (variant === 'concat') {
      let c = '', mm = '';
      for (let i = 0; i < ms.length; i++) {
        const [, uli, ln, fn, bd, g, co, lv] = ms[i];
        c += (i ? ',' : '') + '{"resourceType":"Patient","id":"patient-' + i + '","identifier":[{"system":"' + ULI + '","value":' + q(uli) + '}],"name":[{"use":"official","family":' + q(ln) + ',"given":[' + q(fn) + ']}],"gender":"' + G[g] + '","birthDate":' + q(bd) + '}';
        mm += (i ? ',' : '') + '{"entity":{"reference":"#patient-' + i + '"}' + (co === null ? '' : ',"period":{"start":' + q(co) + '}') + (lv === null ? '' : ',"extension":[{"url":"' + LV + '","valueDate":' + q(lv) + '}]') + '}';
      }
      out = Buffer.from('{"a":[' + c + '],"m":[' + mm + ']}');
    } else if (variant === 'parts') {
      const c: string[] = [], mm: string[] = [];
      for (let i = 0; i < ms.length; i++) {
        const [, uli, ln, fn, bd, g, co, lv] = ms[i];
        c.push(`{"resourceType":"Patient","id":"patient-${i}","identifier":[{"system":"${ULI}","value":${q(uli)}}],"name":[{"use":"official","family":${q(ln)},"given":[${q(fn)}]}],"gender":"${G[g]}","birthDate":${q(bd)}}`);
        mm.push(`{"entity":{"reference":"#patient-${i}"}${co === null ? '' : `,"period":{"start":${q(co)}}`}${lv === null ? '' : `,"extension":[{"url":"${LV}","valueDate":${q(lv)}}]`}}`);
      }
      out = Buffer.from(`{"a":[${c.join(',')}],"m":[${mm.join(',')}]}`);
    } else {
      const c = ms.map(([, uli, ln, fn, bd, g], i) => ({ resourceType: 'Patient', id: `patient-${i}`, identifier: [{ system: ULI, value: uli }], name: [{ use: 'official', family: ln, given: [fn] }], gender: G[g], birthDate: bd }));
      const mm = ms.map(([, , , , , , co, lv], i) => ({ entity: { reference: `#patient-${i}` }, ...(co ? { period: { start: co } } : {}), ...(lv ? { extension: [{ url: LV, valueDate: lv }] } : {}) }));
      out = Buffer.from(JSON.stringify({ a: c, m: mm }));
    }
    bytes += out.length;
  }
  console.log(variant, (performance.now() - t).toFixed(0), 'ms', bytes);
}
t = performance.now();
const bufs = parsed.map((ms) => Buffer.from(JSON.stringify(ms)));
let tt = performance.now();
for (const b of bufs) JSON.parse(b.toString('utf8'));
console.log('toString+parse arrays', (performance.now() - tt).toFixed(0));
const dec = new TextDecoder();
tt = performance.now();
for (const b of bufs) JSON.parse(dec.decode(b));
console.log('TextDecoder+parse arrays', (performance.now() - tt).toFixed(0));
{
  const msgs: Buffer[] = [];
  for (const ms of parsed) {
    let c = '', mm = '';
    for (let i = 0; i < ms.length; i++) {
      const [, uli, ln, fn, bd, g, co, lv] = ms[i];
      c += (i ? ',' : '') + '{"resourceType":"Patient","id":"patient-' + i + '","identifier":[{"system":"' + ULI + '","value":' + q(uli) + '}],"name":[{"use":"official","family":' + q(ln) + ',"given":[' + q(fn) + ']}],"gender":"' + G[g] + '","birthDate":' + q(bd) + '}';
      mm += (i ? ',' : '') + '{"entity":{"reference":"#patient-' + i + '"}' + (co === null ? '' : ',"period":{"start":' + q(co) + '}') + (lv === null ? '' : ',"extension":[{"url":"' + LV + '","valueDate":' + q(lv) + '}]') + '}';
    }
    msgs.push(Buffer.from('{"a":[' + c + '],"m":[' + mm + ']}'));
  }
  let t = performance.now();
  const strs = msgs.map((b) => b.toString('utf8'));
  console.log('toString', (performance.now() - t).toFixed(0));
  t = performance.now();
  const dec = new TextDecoder();
  for (const b of msgs) dec.decode(b);
  console.log('TextDecoder', (performance.now() - t).toFixed(0));
  t = performance.now();
  for (const s of strs) JSON.parse(s);
  console.log('JSON.parse msgs', (performance.now() - t).toFixed(0));
  const { createHash } = await import('node:crypto');
  t = performance.now();
  for (const b of msgs) createHash('sha256').update(b).digest('hex');
  console.log('sha256', (performance.now() - t).toFixed(0));
}
