import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { Db } from '../database/db.ts';
import type { Clock } from '../time/clock.ts';

// The Lucia design (lucia-auth.com): a token "id.secret"; the database keeps the id and a
// SHA-256 of the secret, never the token itself.
export const IDLE_TIMEOUT_MS = 30 * 60_000;
export const ABSOLUTE_LIFETIME_MS = 12 * 3600_000;
// Writing last_active_at on every request would make every page view a write.
const ACTIVITY_WRITE_INTERVAL_MS = 60_000;

export type Session = { id: string; userId: number; createdAt: number; lastActiveAt: number };

function randomString(): string {
  return encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(20))); // 160 bits
}

function hashSecret(secret: string): Uint8Array {
  return sha256(new TextEncoder().encode(secret));
}

export async function createSession(db: Db, clock: Clock, userId: number): Promise<{ token: string; session: Session }> {
  const id = randomString();
  const secret = randomString();
  const now = clock.now().getTime();
  await db.execute({
    sql: 'INSERT INTO sessions (id, user_id, secret_hash, created_at, last_active_at) VALUES (?, ?, ?, ?, ?)',
    args: [id, userId, hashSecret(secret), now, now],
  });
  return { token: `${id}.${secret}`, session: { id, userId, createdAt: now, lastActiveAt: now } };
}

/** The two halves of a token "id.secret", or null when it is not shaped like one. */
export function splitToken(token: string): { id: string; secret: string } | null {
  const [id, secret, extra] = token.split('.');
  return id && secret && extra === undefined ? { id, secret } : null;
}

/** The columns of a stored session that `liveSession` judges. */
export const SESSION_COLUMNS = 's.id, s.user_id, s.secret_hash, s.created_at, s.last_active_at';

/**
 * Judges a stored session (read with SESSION_COLUMNS) against the token's secret and the
 * clock: null when the secret is wrong or the session has expired (and then it is deleted).
 */
export async function liveSession(db: Db, clock: Clock, secret: string, row: Record<string, unknown>): Promise<Session | null> {
  const stored = new Uint8Array(row.secret_hash as ArrayBuffer);
  if (!constantTimeEqual(hashSecret(secret), stored)) return null;
  const session: Session = {
    id: String(row.id),
    userId: Number(row.user_id),
    createdAt: Number(row.created_at),
    lastActiveAt: Number(row.last_active_at),
  };
  const now = clock.now().getTime();
  if (now - session.lastActiveAt >= IDLE_TIMEOUT_MS || now - session.createdAt >= ABSOLUTE_LIFETIME_MS) {
    await deleteSession(db, session.id);
    return null;
  }
  if (now - session.lastActiveAt >= ACTIVITY_WRITE_INTERVAL_MS) {
    await db.execute({ sql: 'UPDATE sessions SET last_active_at = ? WHERE id = ?', args: [now, session.id] });
    session.lastActiveAt = now;
  }
  return session;
}

/** The live session for a token, or null (and an expired one is deleted). */
export async function validateSession(db: Db, clock: Clock, token: string): Promise<Session | null> {
  const parts = splitToken(token);
  if (!parts) return null;
  const result = await db.execute({ sql: `SELECT ${SESSION_COLUMNS} FROM sessions s WHERE s.id = ?`, args: [parts.id] });
  return result.rows[0] ? liveSession(db, clock, parts.secret, result.rows[0]) : null;
}

export async function deleteSession(db: Db, sessionId: string): Promise<void> {
  await db.execute({ sql: 'DELETE FROM sessions WHERE id = ?', args: [sessionId] });
}

/** Deletes the session a token names, only when the token's secret is the session's. */
export async function deleteSessionByToken(db: Db, token: string): Promise<void> {
  const parts = splitToken(token);
  if (!parts) return;
  const result = await db.execute({ sql: 'SELECT secret_hash FROM sessions WHERE id = ?', args: [parts.id] });
  const stored = result.rows[0]?.secret_hash;
  if (stored && constantTimeEqual(hashSecret(parts.secret), new Uint8Array(stored as ArrayBuffer))) {
    await deleteSession(db, parts.id);
  }
}

/** When the cookie should expire: the sooner of the idle and the absolute limit. */
export function sessionExpiresAt(session: Session): Date {
  return new Date(Math.min(session.lastActiveAt + IDLE_TIMEOUT_MS, session.createdAt + ABSOLUTE_LIFETIME_MS));
}
