// The simulator's own storage: what "Netcare" received. Its schema lives here, apart from the
// portal's migrations, because it is a different system's database.
import { randomBytes } from 'node:crypto';
import { openDatabase, type Db } from '../domain/db.ts';

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS submissions (
     reference TEXT PRIMARY KEY,
     idempotency_key TEXT NOT NULL UNIQUE,
     panel_number TEXT NOT NULL,
     patient_count INTEGER NOT NULL,
     received_at INTEGER NOT NULL,
     verdict TEXT NOT NULL CHECK (verdict IN ('confirmed', 'rejected')),
     reason TEXT,
     payload TEXT NOT NULL
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
  await db.batch(SCHEMA, 'write');
  return db;
}

export type StoredSubmission = {
  reference: string;
  idempotencyKey: string;
  panelNumber: string;
  patientCount: number;
  receivedAt: number;
  verdict: 'confirmed' | 'rejected';
  reason: string | null;
};

/** What is stored: the message itself too, as it arrived (its bytes are what a replay must match). */
export type NewSubmission = Omit<StoredSubmission, 'reference'> & { payload: string };

// Every read names its columns: a payload can be megabytes, and only a replay needs it —
// compared inside SQLite, never read back.
const COLUMNS = 'reference, idempotency_key, panel_number, patient_count, received_at, verdict, reason';

export async function recordRequest(db: Db, request: { method: string; path: string; idempotencyKey: string | null; fault: string; at: number }) {
  await db.execute({
    sql: 'INSERT INTO requests (method, path, idempotency_key, fault, received_at) VALUES (?, ?, ?, ?, ?)',
    args: [request.method, request.path, request.idempotencyKey, request.fault, request.at],
  });
}

/**
 * Stores a submission unless its key was seen before; either way returns the submission the
 * key stands for. One statement, so two concurrent sends of one key cannot both be stored.
 */
export async function storeOnce(db: Db, s: NewSubmission): Promise<{ stored: boolean; samePayload: boolean; submission: StoredSubmission }> {
  const reference = `NC-${randomBytes(6).toString('hex').toUpperCase()}`;
  const inserted = await db.execute({
    sql: `INSERT INTO submissions (reference, idempotency_key, panel_number, patient_count, received_at, verdict, reason, payload)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING`,
    args: [reference, s.idempotencyKey, s.panelNumber, s.patientCount, s.receivedAt, s.verdict, s.reason, s.payload],
  });
  const existing = await db.execute({
    sql: `SELECT ${COLUMNS}, payload = ? AS same_payload FROM submissions WHERE idempotency_key = ?`,
    args: [s.payload, s.idempotencyKey],
  });
  const row = existing.rows[0];
  return { stored: inserted.rowsAffected === 1, samePayload: Number(row.same_payload) === 1, submission: toSubmission(row) };
}

export async function findSubmission(db: Db, reference: string): Promise<StoredSubmission | null> {
  const result = await db.execute({ sql: `SELECT ${COLUMNS} FROM submissions WHERE reference = ?`, args: [reference] });
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
  };
}
