// A send that went unanswered may or may not have reached Netcare. The poll settles it by its
// Idempotency-Key: Netcare knows the key → its reference is kept and its status followed;
// Netcare does not → the panel is sent again with the same key and the same snapshot instant
// (so the same message: were the first send to land late, Netcare would still keep one).
import { prepareHere, type PipelineDeps } from '../pipeline/pipeline.ts';
import { failSubmission } from './failures.ts';
import { disclosure, ruleFailure, sendFailure } from './send-outcome.ts';

export type Settled =
  | { reference: string }
  /** still not known whether Netcare has it: why */
  | { waiting: string }
  /** the submission was failed (true) or had already moved on (false) */
  | { failed: boolean };

export async function settleUnanswered(deps: PipelineDeps, s: { id: number; panelId: number; snapshotAt: Date }): Promise<Settled> {
  const { db, clock } = deps;
  const known = await deps.netcare.lookup(s.id);
  if (known.kind === 'unreachable') return { waiting: known.detail };
  if (known.kind === 'known') return keep(deps, s.id, known.reference);

  const prepared = await (deps.prepare ?? prepareHere(deps))(s.panelId, s.id, s.snapshotAt);
  if (!prepared) throw new Error(`submission ${s.id} has no panel`);
  const expected = { status: 'Pending' } as const;
  // The panel's data changed since the first send and the rules now refuse it; Netcare has
  // nothing, so it fails as the data error it is.
  if (!prepared.validation.ok) return { failed: await failSubmission(db, clock, s.id, expected, ruleFailure(prepared.validation, prepared.patientCount)) };
  const sent = await prepared.send();
  if (sent.kind !== 'not_sent') await db.batch(disclosure(clock, s.panelId, { count: prepared.patientCount, ulis: prepared.ulis }, s.id), 'write');
  switch (sent.kind) {
    case 'accepted': return keep(deps, s.id, sent.reference);
    // Not received this time either, or not known again: asked again at the next poll, until
    // the 24-hour rule gives up.
    case 'unanswered': case 'error': case 'unreachable': return { waiting: sent.detail };
    default: return { failed: await failSubmission(db, clock, s.id, expected, sendFailure(sent, prepared.patientCount)) };
  }
}

async function keep(deps: PipelineDeps, id: number, reference: string): Promise<Settled> {
  await deps.db.execute({
    sql: "UPDATE submissions SET netcare_reference = ? WHERE id = ? AND status = 'Pending' AND netcare_reference IS NULL",
    args: [reference, id],
  });
  return { reference };
}
