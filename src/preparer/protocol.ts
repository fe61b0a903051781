// What the main thread and the preparing thread say to each other (structured clone).
import type { Validation } from '../domain/panels/validation.ts';

export type PrepareRequest = {
  panelId: number; submissionId: number; runAtMs: number;
  /** buffers of messages sent and read, transferred back for the next messages to be written into */
  recycled?: ArrayBuffer[];
};

/** A prepared panel: its message is bytes (transferred, not copied) and only when valid. */
export type PreparedMessage = {
  panelId: number;
  patientCount: number;
  /** the ULIs the message names, as a JSON list: the send's audit entry keeps them */
  ulis: string;
  validation: Validation;
  body: Uint8Array | null;
  problems: string[];
};

export type WorkerData = { databaseUrl: string; authToken?: string };
