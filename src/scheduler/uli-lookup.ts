import type { Db } from '../domain/database/db.ts';
import { extendUliLookup } from '../domain/audit/uli-lookup.ts';

export type UliLookupTimer = { stop(): Promise<void> };

/**
 * Every `everyMs`, the audit entries written since take their place in the "who saw this
 * patient?" lookup (searches read past it anyway: this keeps what they scan short). One at a
 * time; a failure (a busy database) is logged and tried again next time.
 */
export function startUliLookup(db: Db, everyMs: number): UliLookupTimer {
  let extending: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    extending ??= extendUliLookup(db)
      .catch((error) => console.error(JSON.stringify({ level: 'error', msg: 'audit ULI lookup not extended', error: String(error) })))
      .finally(() => { extending = null; });
  }, everyMs);
  return {
    async stop() {
      clearInterval(timer);
      await extending;
    },
  };
}
