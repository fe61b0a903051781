import type { PipelineDeps } from './pipeline.ts';

/** A claim not renewed for this long has lapsed: its worker is taken to be gone. */
export const DEFAULT_CLAIM_LAPSE_MS = 30_000;
/** How often a live worker renews its claims: three chances before they lapse. */
export const DEFAULT_HEARTBEAT_MS = 10_000;

export const claimLapseMs = (deps: PipelineDeps) => deps.claimMs ?? DEFAULT_CLAIM_LAPSE_MS;

/** The heartbeat: every run and Queued submission this worker holds stays claimed. */
export async function renewClaims(deps: PipelineDeps): Promise<void> {
  const until = deps.clock.now().getTime() + claimLapseMs(deps);
  await deps.db.batch([
    { sql: 'UPDATE scheduled_runs SET claimed_until = ? WHERE claimed_by = ? AND finished_at IS NULL', args: [until, deps.workerId] },
    { sql: "UPDATE submissions SET claimed_until = ? WHERE claimed_by = ? AND status = 'Queued'", args: [until, deps.workerId] },
  ], 'write');
}

/**
 * Gives up this worker's claims at once (a tick that failed part-way), so that the next
 * poll — of this process or another — takes the run again instead of waiting for a lapse.
 */
export async function releaseClaims(deps: PipelineDeps): Promise<void> {
  const now = deps.clock.now().getTime();
  await deps.db.batch([
    { sql: 'UPDATE scheduled_runs SET claimed_by = NULL, claimed_until = ? WHERE claimed_by = ? AND finished_at IS NULL', args: [now, deps.workerId] },
    { sql: "UPDATE submissions SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = ? AND status = 'Queued'", args: [deps.workerId] },
  ], 'write');
}
