import type { PanelSnapshot } from './snapshot.ts';

// What the pipeline needs from Netcare. The adapter in src/netcare/ owns the wire format
// and the retries; the domain only sees outcomes.
export type SendOutcome =
  | { kind: 'accepted'; reference: string }
  | { kind: 'rejected'; reason: string }
  | { kind: 'unreachable'; detail: string };

export type StatusOutcome =
  | { kind: 'pending' }
  | { kind: 'confirmed' }
  | { kind: 'rejected'; reason: string }
  | { kind: 'unreachable'; detail: string };

export interface Netcare {
  /** where the portal sends panels, for the UI */
  label: string;
  /** sends a whole-panel snapshot; the submission id is the Idempotency-Key */
  send(snapshot: PanelSnapshot, submissionId: number): Promise<SendOutcome>;
  status(reference: string): Promise<StatusOutcome>;
}
