// The pipeline's preparation in its own thread, wired to the Netcare adapter that sends what
// it prepared.
import type { PreparePanel } from '../domain/pipeline/pipeline.ts';
import type { AdaptedNetcare } from '../netcare-connection.ts';
import { startPreparer, type Preparer } from './pool.ts';

/** Another thread can open the same database only when it is a file or a server, not memory. */
export function sharedDatabase(url: string): boolean {
  return url !== ':memory:' && !/^file::memory:|[?&]mode=memory\b/.test(url);
}

export function preparingThread(databaseUrl: string, authToken: string | undefined, netcare: AdaptedNetcare,
  preparer: Preparer = startPreparer({ databaseUrl, authToken })):
  { prepare: PreparePanel; release(): Promise<void>; running(): boolean; close(): Promise<void> } {
  return {
    async prepare(panelId, submissionId, runAt) {
      const prepared = await preparer.prepare(panelId, submissionId, runAt);
      if (!prepared) return null;
      const { body, problems } = prepared;
      return {
        panelId, patientCount: prepared.patientCount, ulis: prepared.ulis, validation: prepared.validation,
        send: async () => {
          if (!body) throw new Error('a panel that failed validation has no message to send');
          const sent = await netcare.sendMessage({ body, problems }, submissionId);
          // Accepted: Netcare read the whole message, so nothing reads these bytes any more and
          // the preparing thread may write the next message into them. After any other outcome
          // a write may still be under way; that buffer is left to the collector.
          if (sent.kind === 'accepted') preparer.recycle(body.buffer as ArrayBuffer);
          return sent;
        },
      };
    },
    release: () => preparer.release(),
    running: () => preparer.running(),
    close: () => preparer.close(),
  };
}
