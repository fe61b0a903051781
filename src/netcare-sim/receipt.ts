// What the simulator makes of a received message: its problems, or the facts it stores (panel
// number, patient count, digest). One general way, as a faithful test partner reads: the whole
// message parsed, then validated.
import { isAscii } from 'node:buffer';
import { PANEL_NUMBER_SYSTEM, validateCparGroup, type CparGroup, type Identifier } from '../netcare/payload.ts';
import { digestOf } from './store.ts';
import { membersOfGroup } from './members.ts';
import type { SubmittedMembers } from './registry.ts';

/** The members are there when there are no problems. */
export type Receipt = { problems: string[]; panelNumber: string; patientCount: number; digest: string; members?: SubmittedMembers };

export function readReceipt(payload: Uint8Array): Receipt {
  const bytes = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  let body: unknown;
  try {
    // An all-ASCII message (the portal's always is) is copied, not decoded.
    body = JSON.parse(bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8'));
  } catch {
    body = undefined;
  }
  const problems = validateCparGroup(body);
  if (problems.length > 0) return { problems, panelNumber: '', patientCount: 0, digest: '' };
  const group = body as CparGroup;
  return {
    problems,
    // the first identifier of the system, as sent (the list may hold other things too)
    panelNumber: String((group.identifier as unknown[]).find((i): i is Identifier =>
      typeof i === 'object' && i !== null && (i as Identifier).system === PANEL_NUMBER_SYSTEM)?.value ?? ''),
    patientCount: group.member.length,
    digest: digestOf(bytes),
    members: membersOfGroup(group),
  };
}
