// Ways the simulated Netcare misbehaves, so the adapter's handling of each can be seen and tested.
export const FAULT_MODES = ['none', '500', '429', 'slow', 'hang', 'reject', 'garble'] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

export type Fault = {
  mode: FaultMode;
  /** how long 'slow' waits before answering; 15 s by default */
  slowMs?: number;
  /** the fault applies to this many /cpar requests, then Netcare is well again; for ever if absent */
  count?: number;
};

export function parseFault(value: unknown): { ok: true; fault: Fault } | { ok: false; problem: string } {
  if (typeof value !== 'object' || value === null) return { ok: false, problem: 'the fault must be a JSON object' };
  const { mode, slowMs, count } = value as Record<string, unknown>;
  if (!FAULT_MODES.includes(mode as FaultMode)) return { ok: false, problem: `mode must be one of ${FAULT_MODES.join(', ')}` };
  if (slowMs !== undefined && !isWholeNumber(slowMs)) return { ok: false, problem: 'slowMs must be a whole number of milliseconds' };
  if (count !== undefined && !(isWholeNumber(count) && count > 0)) return { ok: false, problem: 'count must be a whole number above 0' };
  return { ok: true, fault: { mode: mode as FaultMode, slowMs, count } };
}

function isWholeNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
