// A received panel's members as the registry reads them (registry.ts): by ULI for all, in full
// only for the few it has something to say about. Read from the parsed Group as
// validateCparGroup reads a Patient: the first filled ULI, the first official name.
import { ULI_SYSTEM, type CparGroup } from '../netcare/payload.ts';
import type { FhirGenderCode, SubmittedMember, SubmittedMembers } from './registry.ts';

/** From a Group that validateCparGroup found no problem in. */
export function membersOfGroup(group: CparGroup): SubmittedMembers {
  // as validateCparGroup resolves references: over the contained objects, the last of an id
  const contained = (group.contained as unknown[]).filter(isRecord);
  const byReference = new Map(contained.map((r) => [`#${String(r.id)}`, r]));
  const patientOf = (i: number) => byReference.get(group.member[i].entity.reference) as Record<string, unknown>;
  const uli = (i: number) => firstUli(patientOf(i).identifier);
  return {
    count: group.member.length,
    // written with Edmonton's offset (payload.ts): its date part is the clinic's calendar day
    day: String(group.meta.lastUpdated).slice(0, 10),
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
