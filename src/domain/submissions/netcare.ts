import type { PanelSnapshot } from './snapshot.ts';

// What the pipeline needs from Netcare. The adapter in src/netcare/ owns the wire format
// and the retries; the domain only sees outcomes.
export type SendOutcome =
  | { kind: 'accepted'; reference: string }
  /** Netcare's own permanent refusal */
  | { kind: 'rejected'; reason: string }
  /** the portal's message check refused it: nothing left the clinic */
  | { kind: 'not_sent'; reason: string }
  /** no answer after the request was written: Netcare may have received it */
  | { kind: 'unanswered'; detail: string }
  /** certainly not received: Netcare answered with an error status after every retry */
  | { kind: 'error'; status: number; detail: string }
  /** certainly not received: no connection could be made */
  | { kind: 'unreachable'; detail: string };

export type StatusOutcome =
  | { kind: 'pending' }
  /** confirmed, with the registry's outcome for the panel */
  | { kind: 'confirmed'; registry: RegistryOutcome }
  | { kind: 'rejected'; reason: string }
  | { kind: 'unreachable'; detail: string };

/**
 * A patient the registry did not accept as is, by the member's index in the message and ULI.
 * Genders are the portal's codes (F, M, X, U).
 */
export type RegistryException =
  | { member: number; uli: string; kind: 'mismatch'; fields: { field: 'lastName' | 'firstName' | 'birthDate' | 'gender'; clinic: string; registry: string }[] }
  | { member: number; uli: string; kind: 'conflict'; provider: string; clinic: string; confirmedOn: string };

/** How many patients the registry counted on the panel, and the exceptions. */
export type RegistryOutcome = { counted: number; exceptions: RegistryException[] };

/** What Netcare knows of a submission's Idempotency-Key. */
export type LookupOutcome =
  | { kind: 'known'; reference: string }
  | { kind: 'unknown_key' }
  | { kind: 'unreachable'; detail: string };

export interface Netcare {
  /** where the portal sends panels, for the UI */
  label: string;
  /** sends a whole-panel snapshot; the submission id is the Idempotency-Key */
  send(snapshot: PanelSnapshot, submissionId: number): Promise<SendOutcome>;
  status(reference: string): Promise<StatusOutcome>;
  /** asks Netcare whether it received the submission whose send went unanswered */
  lookup(submissionId: number): Promise<LookupOutcome>;
}
