// The Submissions page sorted by status reads panels.status_rank, which the database keeps
// (migration 009): it must follow every status change of a panel's latest submission.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadSubmissionsPage } from '../../../src/domain/submissions/submissions-page.ts';
import { addPanel, addSubmission, freshDb } from '../../support/app.ts';

const rank = suite("a panel's status rank");
const NOW = new Date('2026-11-10T12:00:00-07:00');

rank('follows the latest submission through every status, and only the latest', async () => {
  const db = await freshDb();
  const panel = await addPanel(db, 'Moreau');
  const rankOf = async () => Number((await db.execute({ sql: 'SELECT status_rank FROM panels WHERE id = ?', args: [panel] })).rows[0].status_rank);
  // Each status with the time the schema requires of it.
  const setStatus = (id: number, status: string) => db.execute({
    sql: `UPDATE submissions SET status = ?, pending_at = coalesce(pending_at, 1), submitted_at = CASE WHEN ? = 'Submitted' THEN 2 END,
            failed_at = CASE WHEN ? = 'Failed' THEN 2 END, brief_error = CASE WHEN ? = 'Failed' THEN 'x' END,
            recipient_notified = CASE WHEN ? = 'Failed' THEN 0 END WHERE id = ?`,
    args: [status, status, status, status, status, id],
  });
  assert.is(await rankOf(), 1, 'never submitted');
  const first = await addSubmission(db, panel, { status: 'Queued', createdAt: '2026-10-15T21:00:00-06:00' });
  assert.is(await rankOf(), 2);
  await setStatus(first, 'Pending');
  assert.is(await rankOf(), 3);
  await setStatus(first, 'Submitted');
  assert.is(await rankOf(), 4);
  const second = await addSubmission(db, panel, { status: 'Queued', createdAt: '2026-11-09T10:00:00-07:00' });
  assert.is(await rankOf(), 2, 'a newer submission takes over');
  await setStatus(first, 'Failed');
  assert.is(await rankOf(), 2, 'an older submission changing says nothing');
  await setStatus(second, 'Failed');
  assert.is(await rankOf(), 0);
  db.close();
});

rank('orders the page: failed, never sent, queued, pending, submitted; then by name', async () => {
  const db = await freshDb();
  const statuses = ['Submitted', 'Pending', null, 'Queued', 'Failed', 'Failed'] as const;
  const names = ['Alder', 'Birch', 'Cedar', 'Dogwood', 'Elm', 'Ash'];
  for (const [i, status] of statuses.entries()) {
    const panel = await addPanel(db, names[i]);
    if (status) await addSubmission(db, panel, { status, createdAt: '2026-10-15T21:00:00-06:00' });
  }
  const { listing } = await loadSubmissionsPage(db, NOW, { sort: 'status' });
  assert.equal(listing.rows.map((r) => r.panelName), ['Ash', 'Elm', 'Cedar', 'Dogwood', 'Birch', 'Alder']);
  db.close();
});

rank.run();
