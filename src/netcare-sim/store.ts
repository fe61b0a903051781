// The simulator's own storage: what "Netcare" received. Its schema lives here, apart from the
// portal's migrations, because it is a different system's database.
import { createHash, randomBytes } from 'node:crypto';
import { openDatabase, type Db } from '../domain/database/db.ts';

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS submissions (
     reference TEXT PRIMARY KEY,
     idempotency_key TEXT NOT NULL UNIQUE,
     panel_number TEXT NOT NULL,
     patient_count INTEGER NOT NULL,
     received_at INTEGER NOT NULL,
     verdict TEXT NOT NULL CHECK (verdict IN ('confirmed', 'rejected')),
     reason TEXT,
     -- SHA-256 of the message as it arrived, for telling a replay from a reused key. The
     -- message itself is not kept: this is a stand-in, not Netcare, and the embedded one runs
     -- on the clinic's machine, where a second copy of every panel would be health
     -- information outside the portal's audit and backups, kept for nothing.
     payload_sha256 TEXT NOT NULL,
     -- the registry's answer (a FHIR OperationOutcome, registry-outcome.ts): only the patients
     -- it did not accept as is, with the values compared, as a registry's report holds them
     outcome TEXT
   )`,
  // Every request to /cpar, answered or not, so tests can count the adapter's attempts.
  `CREATE TABLE IF NOT EXISTS requests (
     id INTEGER PRIMARY KEY,
     method TEXT NOT NULL,
     path TEXT NOT NULL,
     idempotency_key TEXT,
     fault TEXT NOT NULL,
     received_at INTEGER NOT NULL
   )`,
];

export async function openSimulatorDb(url: string): Promise<Db> {
  const db = await openDatabase(url);
  // Not the system of record: a crash of this process loses nothing (WAL), a power cut may
  // lose its last receipts, which the portal (whose database stays synchronous=FULL) sends
  // again under the same Idempotency-Key. A commit then costs no disk flush.
  if (url.startsWith('file:')) await db.execute('PRAGMA synchronous = NORMAL');
  await forgetStoredMessages(db);
  await db.batch(SCHEMA, 'write');
  const columns = await db.execute("SELECT name FROM pragma_table_info('submissions')");
  // written before the registry answered: such submissions have no outcome to give
  if (!columns.rows.some((c) => c.name === 'outcome')) await db.execute('ALTER TABLE submissions ADD COLUMN outcome TEXT');
  return db;
}

/**
 * Simulator databases written before messages were reduced to a digest keep each message in
 * full: digest them, one at a time, and drop the copies.
 */
async function forgetStoredMessages(db: Db) {
  const columns = await db.execute("SELECT name FROM pragma_table_info('submissions')");
  if (!columns.rows.some((c) => c.name === 'payload')) return;
  const keys = await db.execute('SELECT reference FROM submissions');
  await db.execute('ALTER TABLE submissions ADD COLUMN payload_sha256 TEXT');
  for (const { reference } of keys.rows) {
    const row = (await db.execute({ sql: 'SELECT payload FROM submissions WHERE reference = ?', args: [reference] })).rows[0];
    await db.execute({
      sql: 'UPDATE submissions SET payload_sha256 = ? WHERE reference = ?',
      args: [digestOf(Buffer.from(String(row.payload))), reference],
    });
  }
  await db.execute('ALTER TABLE submissions DROP COLUMN payload');
  await db.execute('VACUUM');
}

export function digestOf(message: Uint8Array): string {
  return createHash('sha256').update(message).digest('hex');
}

export type StoredSubmission = {
  reference: string;
  idempotencyKey: string;
  panelNumber: string;
  patientCount: number;
  receivedAt: number;
  verdict: 'confirmed' | 'rejected';
  reason: string | null;
  /** the registry's OperationOutcome as JSON text; null for a submission stored before it answered */
  outcome: string | null;
};

/** What is stored: with the digest of the message as it arrived (what a replay must match). */
export type NewSubmission = Omit<StoredSubmission, 'reference'> & { payloadSha256: string };

const COLUMNS = 'reference, idempotency_key, panel_number, patient_count, received_at, verdict, reason, outcome';

/**
 * Stores a submission unless its key was seen before; either way returns the submission the
 * key stands for. One statement, so two concurrent sends of one key cannot both be stored.
 */
export async function storeOnce(db: Db, s: NewSubmission): Promise<{ stored: boolean; samePayload: boolean; submission: StoredSubmission }> {
  const reference = `NC-${randomBytes(6).toString('hex').toUpperCase()}`;
  const inserted = await db.execute({
    sql: `INSERT INTO submissions (reference, idempotency_key, panel_number, patient_count, received_at, verdict, reason, outcome, payload_sha256)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING
          RETURNING ${COLUMNS}`,
    args: [reference, s.idempotencyKey, s.panelNumber, s.patientCount, s.receivedAt, s.verdict, s.reason, s.outcome, s.payloadSha256],
  });
  if (inserted.rows[0]) return { stored: true, samePayload: true, submission: toSubmission(inserted.rows[0]) };
  const existing = await db.execute({
    sql: `SELECT ${COLUMNS}, payload_sha256 = ? AS same_payload FROM submissions WHERE idempotency_key = ?`,
    args: [s.payloadSha256, s.idempotencyKey],
  });
  const row = existing.rows[0];
  return { stored: false, samePayload: Number(row.same_payload) === 1, submission: toSubmission(row) };
}

export async function findSubmission(db: Db, reference: string): Promise<StoredSubmission | null> {
  const result = await db.execute({ sql: `SELECT ${COLUMNS} FROM submissions WHERE reference = ?`, args: [reference] });
  return result.rows.length ? toSubmission(result.rows[0]) : null;
}

export async function findSubmissionByKey(db: Db, idempotencyKey: string): Promise<StoredSubmission | null> {
  const result = await db.execute({ sql: `SELECT ${COLUMNS} FROM submissions WHERE idempotency_key = ?`, args: [idempotencyKey] });
  return result.rows.length ? toSubmission(result.rows[0]) : null;
}

/** Stored submissions with how many times their key was received. */
export async function listSubmissions(db: Db): Promise<(StoredSubmission & { receivedCount: number })[]> {
  const result = await db.execute(`
    SELECT ${COLUMNS}, (SELECT count(*) FROM requests r WHERE r.method = 'POST' AND r.idempotency_key = s.idempotency_key) AS received_count
      FROM submissions s ORDER BY s.received_at, s.reference`);
  return result.rows.map((r) => ({ ...toSubmission(r), receivedCount: Number(r.received_count) }));
}

export async function listRequests(db: Db) {
  const result = await db.execute('SELECT method, path, idempotency_key, fault FROM requests ORDER BY id');
  return result.rows.map((r) => ({
    method: String(r.method), path: String(r.path),
    idempotencyKey: r.idempotency_key === null ? null : String(r.idempotency_key), fault: String(r.fault),
  }));
}

function toSubmission(r: Record<string, unknown>): StoredSubmission {
  return {
    reference: String(r.reference),
    idempotencyKey: String(r.idempotency_key),
    panelNumber: String(r.panel_number),
    patientCount: Number(r.patient_count),
    receivedAt: Number(r.received_at),
    verdict: r.verdict === 'rejected' ? 'rejected' : 'confirmed',
    reason: r.reason === null ? null : String(r.reason),
    outcome: r.outcome === null || r.outcome === undefined ? null : String(r.outcome),
  };
}
