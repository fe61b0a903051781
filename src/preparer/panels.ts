// The pipeline's preparation in its own thread, wired to the Netcare adapter that sends what
// it prepared.
import type { PreparePanel } from '../domain/pipeline/pipeline.ts';
import type { AdaptedNetcare } from '../netcare-connection.ts';
import { startPreparer } from './pool.ts';

/** Another thread can open the same database only when it is a file or a server, not memory. */
export function sharedDatabase(url: string): boolean {
  return url !== ':memory:' && !/^file::memory:|[?&]mode=memory\b/.test(url);
}

export function preparingThread(databaseUrl: string, authToken: string | undefined, netcare: AdaptedNetcare):
  { prepare: PreparePanel; release(): Promise<void>; running(): boolean; close(): Promise<void> } {
  const preparer = startPreparer({ databaseUrl, authToken });
  return {
    async prepare(panelId, submissionId, runAt) {
      const prepared = await preparer.prepare(panelId, submissionId, runAt);
      if (!prepared) return null;
      const { body, problems } = prepared;
      return {
        panelId, patientCount: prepared.patientCount, ulis: prepared.ulis, validation: prepared.validation,
        send: () => (body ? netcare.sendMessage({ body, problems }, submissionId)
          : Promise.reject(new Error('a panel that failed validation has no message to send'))),
      };
    },
    release: () => preparer.release(),
    running: () => preparer.running(),
    close: () => preparer.close(),
  };
}
