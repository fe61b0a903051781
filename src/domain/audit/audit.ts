import type { InStatement } from '@libsql/client';
import type { Db } from '../database/db.ts';
import type { Clock } from '../time/clock.ts';
import type { Scope } from '../people/permissions.ts';
import { formatEdmontonDateTime } from '../time/edmonton.ts';
import { contentSql, hashSql, STORED_PATIENTS } from './audit-chain.ts';
import { retryWhenBusy } from '../database/busy-retry.ts';

export type AuditAction = 'view' | 'create' | 'edit' | 'delete' | 'export' | 'submit' | 'sign-in' | 'sign-in failed' | 'denied';

export type AuditEntry = {
  action: AuditAction;
  route: string;
  objectType?: string;
  objectId?: string | number;
  /** every patient the action showed or touched, by id: the trail copies each one's ULI and name */
  patientIds?: readonly number[];
  /** a send to Netcare: how many patients, and the ULIs its message named */
  disclosed?: Disclosed;
  requestId?: string;
};

/**
 * A send's patients, as its message named them: their ULIs as a JSON list, kept on the entry
 * (under its hash) and searched as text. A province's monthly run sends 2.2 million: a row and
 * an index entry each took the run from 15 s to 69 s.
 */
export type Disclosed = { count: number; ulis: string };

// The patients named: ?12 is the JSON list of their ids, in the order given.
const NAMED = 'FROM json_each(?12) j JOIN patients pt ON pt.id = j.value';
const NAME = `pt.last_name || ', ' || pt.first_name`;
const NEXT_ID = '(SELECT coalesce(max(id), 0) + 1 FROM audit_log)';

/**
 * The statements that append one entry and name its patients, to run in one write batch
 * (alone or with the change they record). The patients' rows go first, under the id the
 * entry is about to take; the entry then goes after the last one, its hash chained to that
 * one's and covering those rows as `audit verify` reads them back (each patient looked up
 * once). A write batch holds the database's write lock from its start, so two writers, in one
 * process or two, cannot both link to the same entry.
 */
export function auditStatements(clock: Clock, scope: Scope | null, entry: AuditEntry, username?: string): InStatement[] {
  const now = clock.now();
  const ids = entry.patientIds ? JSON.stringify([...new Set(entry.patientIds)]) : '[]';
  const args = [
    now.getTime(), formatEdmontonDateTime(now), scope?.userId ?? null, scope?.username ?? username ?? null,
    scope ? [...scope.permissions].sort().join(',') : '', entry.action, entry.route, entry.objectType ?? null,
    entry.objectId === undefined ? null : String(entry.objectId), entry.requestId ?? null,
    // the patient count: a send's, or -1 to count the patients named, or none
    entry.disclosed ? entry.disclosed.count : entry.patientIds ? -1 : null, ids, entry.disclosed?.ulis ?? null,
  ];
  const append: InStatement = {
    // Cast as the columns store them: the hash covers the values exactly as they will read back.
    sql: `INSERT INTO audit_log (id, at, at_edmonton, user_id, username, permissions, action, route, object_type, object_id,
            patient_count, request_id, disclosed_ulis, prev_hash, hash)
          SELECT v.id, v.at, v.at_edmonton, v.user_id, v.username, v.permissions, v.action, v.route, v.object_type, v.object_id,
                 v.patient_count, v.request_id, v.disclosed_ulis, v.prev, ${hashSql('v.prev', contentSql('v', STORED_PATIENTS('v')))}
            FROM (SELECT w.*, CASE ?11 WHEN -1 THEN (SELECT count(*) FROM audit_patients WHERE audit_id = w.id) ELSE CAST(?11 AS INTEGER) END AS patient_count FROM (
                  SELECT ${NEXT_ID} AS id, CAST(?1 AS INTEGER) AS at, ?2 AS at_edmonton,
                         CAST(?3 AS INTEGER) AS user_id, ?4 AS username, ?5 AS permissions, ?6 AS action, ?7 AS route,
                         ?8 AS object_type, ?9 AS object_id, ?10 AS request_id, ?13 AS disclosed_ulis,
                         (SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1) AS prev) w) v`,
    args,
  };
  if (!entry.patientIds?.length) return [append];
  return [{
    sql: `INSERT INTO audit_patients (audit_id, position, patient_id, uli, name)
          SELECT ${NEXT_ID}, j.key, pt.id, pt.uli, ${NAME} ${NAMED}`,
    args: args.slice(0, 12),
  }, append];
}

type Waiting = { statements: InStatement[]; done: (error?: unknown) => void };
const waiting = new WeakMap<Db, Waiting[]>();

/**
 * Appends one entry to the audit trail. The trail itself refuses updates, deletes and rewrites.
 * The entries of requests answered at the same moment are written together, in the order
 * they came, as one write batch (one commit, one sync to disk, instead of one each: a busy
 * members page waited its turn behind every other view's commit). Each caller still waits for
 * its own entry to be written before it goes on, and every entry is chained as if alone; when
 * the write fails (the database, not an entry), every caller of that moment is told.
 * Another portal's write transaction makes sqld answer busy at once (a file waits its busy
 * timeout): the batch did not apply, so it is tried again, often, for up to 10 s.
 */
export function recordAudit(db: Db, clock: Clock, scope: Scope | null, entry: AuditEntry, username?: string): Promise<void> {
  const statements = auditStatements(clock, scope, entry, username);
  return new Promise((resolve, reject) => {
    let queue = waiting.get(db);
    if (!queue) {
      waiting.set(db, (queue = []));
      // After the requests read in this turn of the event loop have queued theirs.
      setImmediate(() => void writeTogether(db));
    }
    queue.push({ statements, done: (error) => (error === undefined ? resolve() : reject(error)) });
  });
}

async function writeTogether(db: Db): Promise<void> {
  const queue = waiting.get(db)!;
  waiting.delete(db);
  try {
    await retryWhenBusy(db, { budgetMs: 10_000, firstDelayMs: 5, maxDelayMs: 100 }).batch(queue.flatMap((w) => w.statements), 'write');
    for (const w of queue) w.done();
  } catch (error) {
    for (const w of queue) w.done(error);
  }
}
