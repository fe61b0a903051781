import type { Config } from './config.ts';
import type { Clock } from './domain/time/clock.ts';
import type { Db } from './domain/database/db.ts';
import { retryWhenBusy } from './domain/database/busy-retry.ts';
import { installationId } from './domain/database/installation.ts';
import { processSubmission, type PipelineDeps } from './domain/pipeline/pipeline.ts';
import type { TickReport } from './domain/pipeline/runs.ts';
import { connectNetcare, type NetcareConnection } from './netcare-connection.ts';
import { workerId } from './worker-id.ts';
import type { Metrics } from './service/metrics.ts';
import { instrumentNetcare } from './service/instrument-netcare.ts';
import { panelPreparation } from './preparer/panels.ts';

/** The pipeline's dependencies for this process, with its Netcare connection to close. */
export async function openPipeline(db: Db, clock: Clock, config: Config, metrics?: Metrics): Promise<{ pipeline: PipelineDeps; connection: NetcareConnection }> {
  const connected = await connectNetcare(config, clock, await installationId(db));
  const netcare = metrics ? { ...connected, netcare: instrumentNetcare(connected.netcare, metrics) } : connected;
  const checkpoint = config.testKillAt === undefined ? undefined : (step: string) => {
    if (step === config.testKillAt) process.kill(process.pid, 'SIGKILL');
  };
  const preparation = panelPreparation(db, config.databaseUrl, netcare.netcare);
  const connection: NetcareConnection = {
    netcare: netcare.netcare,
    async close() {
      await preparation.release();
      await netcare.close();
    },
  };
  // The pipeline's writes wait out another connection's write lock instead of failing the run.
  const pipeline: PipelineDeps = {
    db: retryWhenBusy(db), clock, netcare: connection.netcare, workerId: workerId(), claimMs: config.claimLapseMs,
    checkpoint, prepare: preparation.prepare, donePreparing: preparation.release,
  };
  return { pipeline, connection };
}

/** The demo's in-flight submission goes through the real pipeline, so it is truly Pending. */
export async function sendDemoSubmissions(pipeline: PipelineDeps, ids: number[]): Promise<void> {
  for (const id of ids) await processSubmission(pipeline, id);
}

/** What `tick` did, in lines a person reads: counts only. */
export function formatTickReport(report: TickReport, at: Date): string[] {
  const lines = [`Tick at ${at.toISOString()}:`];
  if (!report.runs.length) lines.push('  no run due (or already done)');
  for (const run of report.runs) {
    const o = run.outcomes;
    lines.push(`  ${run.job} of ${run.scheduledFor.toISOString()}${run.late ? ' (late)' : ''}${run.resumed ? ' (resumed)' : ''}: `
      + `${run.queuedByRun} queued by the run; ${o.pending} sent (Pending), ${o.unanswered} unanswered (Pending, checking by key), ${o.invalid} failed validation, `
      + `${o.rejected} rejected by Netcare, ${o.unreachable} not received by Netcare (an error or no connection), ${o.skipped} held by another worker`);
  }
  if (report.helped) {
    const h = report.helped;
    lines.push(`  helped another portal's run: ${h.pending} sent (Pending), ${h.unanswered} unanswered, ${h.invalid} failed validation, `
      + `${h.rejected} rejected, ${h.unreachable} not received, ${h.skipped} held by another worker`);
  }
  const p = report.polled;
  lines.push(`  confirmations: ${p.submitted} Submitted, ${p.rejected} rejected, ${p.unconfirmed} unconfirmed after 24 h, ${p.waiting} still Pending`);
  return lines;
}
