// A received panel's members as the registry reads them (registry.ts): by ULI for all, in full
// only for the few it has something to say about. Read from the bytes the quick reader found
// (accept.ts) or from the parsed Group (receipt.ts's general way); both read a Patient as
// validateCparGroup does: the first filled ULI, the first official name.
import { isAscii } from 'node:buffer';
import { ULI_SYSTEM, type CparGroup } from '../netcare/payload.ts';
import type { FhirGenderCode, SubmittedMember, SubmittedMembers } from './registry.ts';

/** From the quick reader: each member's Patient as a span of the message's bytes. */
export function membersFromSpans(bytes: Buffer, spans: { ulis: number[]; starts: number[]; ends: number[] },
  memberPatients: number[], memberConfirmed: number[]): SubmittedMembers {
  const uli = (i: number) => String(spans.ulis[memberPatients[i]]).padStart(9, '0');
  return {
    count: memberPatients.length,
    uliNumber: (i) => spans.ulis[memberPatients[i]],
    member(i) {
      const p = memberPatients[i];
      const slice = bytes.subarray(spans.starts[p], spans.ends[p]);
      const patient = JSON.parse(slice.toString(isAscii(slice) ? 'latin1' : 'utf8')) as Record<string, unknown>;
      return memberOf(patient, uli(i), dayText(memberConfirmed[i]));
    },
  };
}

/** From a Group that validateCparGroup found no problem in. */
export function membersOfGroup(group: CparGroup): SubmittedMembers {
  // as validateCparGroup resolves references: over the contained objects, the last of an id
  const contained = (group.contained as unknown[]).filter(isRecord);
  const byReference = new Map(contained.map((r) => [`#${String(r.id)}`, r]));
  const patientOf = (i: number) => byReference.get(group.member[i].entity.reference) as Record<string, unknown>;
  const uli = (i: number) => firstUli(patientOf(i).identifier);
  return {
    count: group.member.length,
    uliNumber: (i) => Number(uli(i)),
    member: (i) => memberOf(patientOf(i), uli(i), group.member[i].period!.start),
  };
}

function memberOf(patient: Record<string, unknown>, uli: string, confirmedOn: string): SubmittedMember {
  const name = (patient.name as unknown[]).find((n) => isRecord(n) && n.use === 'official') as { family: string; given: string[] };
  return { uli, family: name.family, given: name.given[0], birthDate: String(patient.birthDate), gender: patient.gender as FhirGenderCode, confirmedOn };
}

function firstUli(identifiers: unknown): string {
  const found = (identifiers as unknown[])
    .find((i) => isRecord(i) && i.system === ULI_SYSTEM && typeof i.value === 'string' && i.value.trim() !== '') as { value: string };
  return found.value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function dayText(day: number): string {
  const text = String(day).padStart(8, '0');
  return `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
}
