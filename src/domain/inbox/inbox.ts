import type { Db } from '../database/db.ts';
import type { Clock } from '../time/clock.ts';
import type { Scope } from '../people/permissions.ts';

export type InboxMessage = {
  id: number;
  subject: string;
  body: string;
  createdAt: Date;
  readAt: Date | null;
  panelId: number | null;
  submissionId: number | null;
  /** a submission's failure, or the registry's news of new mismatches and conflicts */
  kind: 'failure' | 'registry';
};

function toMessage(r: Record<string, unknown>): InboxMessage {
  return {
    id: Number(r.id),
    subject: String(r.subject),
    body: String(r.body),
    createdAt: new Date(Number(r.created_at)),
    readAt: r.read_at === null ? null : new Date(Number(r.read_at)),
    panelId: r.panel_id === null ? null : Number(r.panel_id),
    submissionId: r.submission_id === null ? null : Number(r.submission_id),
    kind: r.kind === 'registry' ? 'registry' : 'failure',
  };
}

const COLUMNS = 'id, subject, body, created_at, read_at, panel_id, submission_id, kind';

/** The acting user's own messages, newest first. */
export async function listInbox(db: Db, scope: Scope, limit = 200): Promise<InboxMessage[]> {
  const result = await db.execute({
    sql: `SELECT ${COLUMNS} FROM inbox_messages WHERE recipient_id = ?
           ORDER BY created_at DESC, id DESC LIMIT ?`,
    args: [scope.userId, limit],
  });
  return result.rows.map((r) => toMessage(r));
}

export async function countUnread(db: Db, scope: Scope): Promise<number> {
  const result = await db.execute({
    sql: 'SELECT count(*) AS n FROM inbox_messages WHERE recipient_id = ? AND read_at IS NULL',
    args: [scope.userId],
  });
  return Number(result.rows[0].n);
}

/**
 * Opens one of the acting user's messages and marks it read. Someone else's message is
 * answered exactly like a missing one: null.
 */
export async function openMessage(db: Db, clock: Clock, scope: Scope, id: number): Promise<InboxMessage | null> {
  const result = await db.execute({
    sql: `UPDATE inbox_messages SET read_at = coalesce(read_at, ?)
           WHERE id = ? AND recipient_id = ? RETURNING ${COLUMNS}`,
    args: [clock.now().getTime(), id, scope.userId],
  });
  return result.rows[0] ? toMessage(result.rows[0]) : null;
}
