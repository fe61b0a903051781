// The monthly run's preparation of each panel: extraction, the rules and the Netcare message,
// written from the members' columns as the database returned them (encode-columns.ts), and
// sent through the Netcare adapter. A file is read through the native driver with the
// extraction's statements prepared once on a read-only connection of its own; anything else
// (a server, a database in memory) through the portal's client. Done on the run's own thread:
// a panel takes ~2 ms (822 patients) to 10–20 ms (5,000), no longer than the run's own commits
// hold the event loop, and a thread of its own cost more CPU and memory than it saved
// (docs/performance.md, round 14).
import type { Db } from '../domain/database/db.ts';
import { extractRows, type Extracted } from '../domain/pipeline/extraction.ts';
import type { PreparePanel } from '../domain/pipeline/pipeline.ts';
import { validateFacts } from '../domain/panels/validation.ts';
import { messageFromColumns } from '../netcare/encode-columns.ts';
import { BufferPool } from '../netcare/buffer-pool.ts';
import type { AdaptedNetcare } from '../netcare-connection.ts';
import { nativeExtractor } from './native-extraction.ts';
import { filePath } from '../domain/database/file-path.ts';

export type PanelPreparation = {
  prepare: PreparePanel;
  /** the run's sends are done: the file's reading connection and the message buffers are let go (opened again when needed) */
  release(): Promise<void>;
  /** whether the reading connection is open now */
  open(): boolean;
};

type Reader = { extract(panelId: number, at: Date): Extracted | null | Promise<Extracted | null>; close(): void };

export function panelPreparation(db: Db, databaseUrl: string, netcare: AdaptedNetcare): PanelPreparation {
  const path = filePath(databaseUrl);
  let reader: Reader | null = null;
  // The buffers of messages already sent, written into again (buffer-pool.ts says why).
  let buffers = new BufferPool();
  const opened = (): Reader => (reader ??= path ? nativeExtractor(path) : { extract: (id, at) => extractRows(db, id, at), close() {} });
  return {
    async prepare(panelId, submissionId, runAt) {
      const extracted = await opened().extract(panelId, runAt);
      if (!extracted) return null;
      const validation = validateFacts(extracted.facts);
      // A panel that fails the rules is never sent: no message is built for it (nor its names read).
      const members = validation.ok ? extracted.members() : null;
      const pool = buffers;
      const message = members && messageFromColumns(members.panel, members.columns, members.order, submissionId, pool);
      return {
        panelId, patientCount: extracted.facts.patientCount, ulis: members ? extracted.uliList() : '[]', validation,
        send: async () => {
          if (!message) throw new Error('a panel that failed validation has no message to send');
          const sent = await netcare.sendMessage(message, submissionId);
          // Accepted: Netcare read the whole message, so nothing reads these bytes any more and
          // the next message may be written into them. After any other outcome a write may
          // still be under way; that buffer is left to the collector.
          if (sent.kind === 'accepted') pool.give(Buffer.from(message.body.buffer));
          return sent;
        },
      };
    },
    async release() {
      reader?.close();
      reader = null;
      buffers = new BufferPool();
    },
    open: () => reader !== null,
  };
}
