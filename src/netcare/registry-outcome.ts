// The registry's outcome for a confirmed panel, as a FHIR R4 OperationOutcome (README.md,
// "The registry's outcome"): written by the simulator, read by the adapter, which trusts
// nothing in it. Problems name paths, never values: no ULI or name reaches a log.
import type { RegistryException, RegistryOutcome } from '../domain/submissions/netcare.ts';
import type { Finding } from '../netcare-sim/registry.ts';
import { isCalendarDate, ULI_SYSTEM } from './payload.ts';

export const COUNTED_URL = 'https://cpar.example/fhir/StructureDefinition/registry-counted';
export const PATIENT_URL = 'https://cpar.example/fhir/StructureDefinition/registry-patient';
export const DIFFERENCE_URL = 'https://cpar.example/fhir/StructureDefinition/registry-difference';
export const ATTACHMENT_URL = 'https://cpar.example/fhir/StructureDefinition/other-attachment';
export const FINDING_SYSTEM = 'https://cpar.example/fhir/CodeSystem/registry-finding';

const FIELDS = ['lastName', 'firstName', 'birthDate', 'gender'] as const;
// The wire speaks FHIR's gender codes; the portal stores its own.
const TO_PORTAL: Record<string, string> = { female: 'F', male: 'M', other: 'X', unknown: 'U' };

type Extension = { url: string; [value: string]: unknown };

/** The simulator's side: the answer for a panel of `count` members. */
export function buildRegistryOutcome(counted: number, count: number, findings: Finding[]) {
  const sub = (url: string, key: string, value: unknown): Extension => ({ url, [key]: value });
  return {
    resourceType: 'OperationOutcome',
    extension: [{ url: COUNTED_URL, valueInteger: counted }],
    issue: [
      { severity: 'information', code: 'informational', details: { text: `${counted} of ${count} patients counted` } },
      ...findings.map((f) => ({
        severity: 'warning',
        code: 'business-rule',
        details: {
          coding: [{ system: FINDING_SYSTEM, code: f.kind === 'mismatch' ? 'demographic-mismatch' : 'panel-conflict' }],
          text: f.kind === 'mismatch' ? 'Demographics differ from the provincial registry' : 'The patient is on another provider\'s panel',
        },
        expression: [`Group.member[${f.member}]`],
        extension: [
          sub(PATIENT_URL, 'valueIdentifier', { system: ULI_SYSTEM, value: f.uli }),
          ...(f.kind === 'mismatch'
            ? f.fields.map((d) => ({
              url: DIFFERENCE_URL,
              extension: [sub('field', 'valueCode', d.field), sub('submitted', 'valueString', d.clinic), sub('registry', 'valueString', d.registry)],
            }))
            : [{
              url: ATTACHMENT_URL,
              extension: [sub('provider', 'valueString', f.provider), sub('clinic', 'valueString', f.clinic), sub('confirmed', 'valueDate', f.confirmedOn)],
            }]),
        ],
      })),
    ],
  };
}

export type ReadOutcome = { ok: true; outcome: RegistryOutcome } | { ok: false; problem: string };

/** The adapter's side: the outcome, or the first thing wrong with it (a path, no value). */
export function readRegistryOutcome(value: unknown): ReadOutcome {
  try {
    return { ok: true, outcome: read(value) };
  } catch (error) {
    if (error instanceof Malformed) return { ok: false, problem: error.message };
    throw error;
  }
}

class Malformed extends Error {}

function fail(path: string, what: string): never {
  throw new Malformed(`outcome${path}: ${what}`);
}

function read(value: unknown): RegistryOutcome {
  if (!isRecord(value) || value.resourceType !== 'OperationOutcome') fail('', 'must be an OperationOutcome');
  const counted = extensionsOf(value.extension, () => '.extension').find((e) => e.url === COUNTED_URL)?.valueInteger;
  if (!Number.isSafeInteger(counted) || (counted as number) < 0) fail('.extension', 'registry-counted must be a whole number');
  if (!Array.isArray(value.issue)) fail('.issue', 'must be a list');
  const exceptions: RegistryException[] = [];
  const issues: unknown[] = value.issue;
  for (let i = 0; i < issues.length; i++) {
    // A province's poll reads ~100,000 issues: a problem's path is written only when there is one.
    const at = (rest: string) => () => `.issue[${i}]${rest}`;
    const issue = issues[i];
    if (!isRecord(issue)) fail(at('')(), 'must be an object');
    if (issue.severity === 'information') continue;
    const code = isRecord(issue.details) && Array.isArray(issue.details.coding)
      ? issue.details.coding.find((c) => isRecord(c) && c.system === FINDING_SYSTEM)?.code : undefined;
    if (code !== 'demographic-mismatch' && code !== 'panel-conflict') fail(at('.details')(), 'must name a registry finding');
    const member = /^Group\.member\[(\d{1,9})\]$/.exec(Array.isArray(issue.expression) && issue.expression.length === 1 ? String(issue.expression[0]) : '');
    if (!member) fail(at('.expression')(), 'must point at one Group.member');
    const extensions = extensionsOf(issue.extension, at('.extension'));
    const patient = extensions.find((e) => e.url === PATIENT_URL)?.valueIdentifier;
    if (!isRecord(patient) || patient.system !== ULI_SYSTEM || typeof patient.value !== 'string' || !/^\d{9}$/.test(patient.value)) {
      fail(at('.extension')(), 'registry-patient must be a ULI of 9 digits');
    }
    const uli = patient.value;
    if (code === 'demographic-mismatch') {
      const fields = [];
      for (const e of extensions) {
        if (e.url === DIFFERENCE_URL) fields.push(difference(e, at(`.extension(difference ${fields.length})`)));
      }
      if (fields.length === 0) fail(at('.extension')(), 'a mismatch needs at least one registry-difference');
      exceptions.push({ member: Number(member[1]), uli, kind: 'mismatch', fields });
    } else {
      const attachment = extensions.find((e) => e.url === ATTACHMENT_URL);
      if (!attachment) fail(at('.extension')(), 'a conflict needs its other-attachment');
      const where = at('.extension(other-attachment)');
      const [provider, clinic, confirmedOn] = parts3(attachment, where, ATTACHMENT_PARTS, ATTACHMENT_KEYS);
      if (!isCalendarDate(confirmedOn)) fail(where(), 'confirmed must be a date (YYYY-MM-DD)');
      exceptions.push({ member: Number(member[1]), uli, kind: 'conflict', provider, clinic, confirmedOn });
    }
  }
  return { counted: counted as number, exceptions };
}

const ATTACHMENT_PARTS = ['provider', 'clinic', 'confirmed'];
const ATTACHMENT_KEYS = ['valueString', 'valueString', 'valueDate'];
const DIFFERENCE_PARTS = ['field', 'submitted', 'registry'];
const DIFFERENCE_KEYS = ['valueCode', 'valueString', 'valueString'];

/** Where a problem is, written only when there is one. */
type Path = () => string;

function difference(e: Extension, at: Path) {
  const [field, clinic, registry] = parts3(e, at, DIFFERENCE_PARTS, DIFFERENCE_KEYS);
  if (!(FIELDS as readonly string[]).includes(field)) fail(at(), `field must be one of ${FIELDS.join(', ')}`);
  if (field === 'gender') {
    if (!TO_PORTAL[clinic] || !TO_PORTAL[registry]) fail(at(), 'a gender must be female, male, other or unknown');
    return { field: field as 'gender', clinic: TO_PORTAL[clinic], registry: TO_PORTAL[registry] };
  }
  if (field === 'birthDate' && !(isCalendarDate(clinic) && isCalendarDate(registry))) fail(at(), 'a birth date must be a date (YYYY-MM-DD)');
  return { field: field as (typeof FIELDS)[number], clinic, registry };
}

/** The three filled values of a complex extension's parts, by url. */
function parts3(e: Extension, at: Path, urls: string[], keys: string[]): [string, string, string] {
  const inner = extensionsOf(e.extension, at);
  return urls.map((url, k) => {
    const v = inner.find((x) => x.url === url)?.[keys[k]];
    if (typeof v !== 'string' || v.trim() === '' || v.length > 255) fail(at(), `${url} must be 1 to 255 characters`);
    return v;
  }) as [string, string, string];
}

function extensionsOf(value: unknown, at: Path): Extension[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((e) => isRecord(e) && typeof e.url === 'string')) fail(at(), 'must be a list of extensions');
  return value as Extension[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
