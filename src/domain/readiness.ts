import type { Db } from './db.ts';
import { extractPanel } from './extraction.ts';
import { validatePanel, type Validation } from './validation.ts';

/**
 * Would this panel pass if it were sent now? The pipeline's own extraction and validation,
 * run ahead of the 15th — one source of truth for "Ready" and for the monthly run.
 */
export async function panelReadiness(db: Db, panelId: number, at: Date): Promise<Validation | null> {
  const snapshot = await extractPanel(db, panelId, at);
  return snapshot ? validatePanel(snapshot) : null;
}

/** Readiness of every active CPAR panel, by panel id. */
export async function readinessOfCparPanels(db: Db, at: Date): Promise<Map<number, Validation>> {
  const panels = await db.execute('SELECT id FROM panels WHERE active = 1 AND cpar_enabled = 1 ORDER BY id');
  const readiness = new Map<number, Validation>();
  for (const row of panels.rows) {
    const validation = await panelReadiness(db, Number(row.id), at);
    if (validation) readiness.set(Number(row.id), validation);
  }
  return readiness;
}
