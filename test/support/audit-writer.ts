// A portal process's share of audit writes, for the two-writer test: ENTRIES entries naming
// the patients in PATIENT_IDS, CONCURRENCY at a time. It says "ready" and starts once the
// file GO_FILE exists, so that two processes write at once.
import { existsSync } from 'node:fs';
import { recordAudit } from '../../src/domain/audit/audit.ts';
import { systemClock } from '../../src/domain/time/clock.ts';
import { openDatabase } from '../../src/domain/database/db.ts';

const db = await openDatabase(process.env.DATABASE_URL!);
const entries = Number(process.env.ENTRIES);
const patientIds = JSON.parse(process.env.PATIENT_IDS ?? '[]') as number[];
const who = process.env.WRITER ?? 'writer';
console.log('ready');
while (!existsSync(process.env.GO_FILE!)) await new Promise((r) => setTimeout(r, 5));
let next = 0;
await Promise.all(Array.from({ length: Number(process.env.CONCURRENCY ?? 4) }, async () => {
  while (next < entries) {
    const i = next++;
    await recordAudit(db, systemClock, null, { action: 'view', route: `GET /${who}/${i}`, patientIds }, who);
    // As requests do: a page's entry, then other work, so the other process gets the lock too.
    await new Promise((r) => setTimeout(r, 2));
  }
}));
db.close();
