// One FHIR resource → records of the portal's extract, each with its origin: the FHIRPath-like
// location of every field, so a problem the extract's check finds points back into the FHIR
// file. Values the check reads (dates, names, types) pass through as they are and are judged
// by the same rules as the JSON extract; only what FHIR spells differently is translated
// here (docs/import.md has the tables).
import { LAST_VISIT_URL, PANEL_NUMBER_SYSTEM, PANEL_PRACTITIONER_URL, PRAC_ID_SYSTEM, ULI_SYSTEM } from '../../netcare/payload.ts';
import { edmontonDate } from '../time/edmonton.ts';
import { isObj, type FhirProblem, type Located, type Obj, type Where } from './fhir-files.ts';
import { identifierIn, type ReferenceIndex } from './fhir-keys.ts';

/** Where each field of one extract record came from; lists hold one origin (or location) per item. */
export type Origin = { where: Where; at: string; fields: Record<string, string>; items?: Record<string, (Origin | string)[]> };
export type Made<T> = { record: T; origin: Origin };
export type Context = { refs: ReferenceIndex; keys: Map<Located, string>; problems: FhirProblem[] };

export const GENDERS: Record<string, string> = { female: 'F', male: 'M', other: 'X', unknown: 'U' };
/** Encounters that did not happen (or not yet) are not visits. */
export const NOT_VISITS = ['planned', 'cancelled', 'entered-in-error'];
const NAME_USES = ['official', 'usual', undefined];

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

function problem(ctx: Context, r: Located, location: string, message: string) {
  ctx.problems.push({ ...r.where, location, message });
}

/** A date, or the Edmonton day of a dateTime with a time; anything else as it is, for the check to refuse. */
export function dayOf(value: unknown): unknown {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) return value;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? value : edmontonDate(at);
}

/** The name to use: the first official one, else usual, else one without a use. */
function chooseName(resource: Obj): { name: Obj; index: number } | null {
  const names = list(resource.name);
  for (const use of NAME_USES) {
    const index = names.findIndex((n) => isObj(n) && n.use === use);
    if (index >= 0) return { name: names[index] as Obj, index };
  }
  return null;
}

export function readPatient(r: Located, ctx: Context): Made<Record<string, unknown>> {
  const p = r.path;
  const res = r.resource;
  const uli = identifierIn(res, ULI_SYSTEM);
  if (!uli) problem(ctx, r, `${p}.identifier`, 'no Alberta health number (ULI) identifier');
  const chosen = chooseName(res);
  const namePath = chosen ? `${p}.name[${chosen.index}]` : `${p}.name`;
  const given = chosen ? list(chosen.name.given) : [];
  let gender = 'U';
  if (res.gender !== undefined) {
    if (typeof res.gender === 'string' && Object.hasOwn(GENDERS, res.gender)) gender = GENDERS[res.gender];
    else problem(ctx, r, `${p}.gender`, 'must be female, male, other or unknown');
  }
  const deceased = res.deceasedBoolean === true || res.deceasedDateTime !== undefined;
  const status = deceased ? 'deceased' : res.active === false ? 'inactive' : 'active';
  return {
    record: {
      key: ctx.keys.get(r), uli: uli?.value ?? null, lastName: chosen?.name.family ?? null, firstName: given[0] ?? null,
      birthDate: res.birthDate ?? null, gender, status,
    },
    origin: {
      where: r.where, at: p,
      fields: {
        key: `${p}.id`, uli: uli ? `${p}.identifier[${uli.index}].value` : `${p}.identifier`,
        lastName: chosen ? `${namePath}.family` : namePath, firstName: chosen ? `${namePath}.given` : namePath,
        birthDate: `${p}.birthDate`, gender: `${p}.gender`,
        status: res.deceasedDateTime !== undefined ? `${p}.deceasedDateTime` : deceased ? `${p}.deceasedBoolean` : `${p}.active`,
      },
    },
  };
}

export function readPractitioner(r: Located, ctx: Context): Made<Record<string, unknown>> {
  const p = r.path;
  const prac = identifierIn(r.resource, PRAC_ID_SYSTEM);
  const chosen = chooseName(r.resource) ?? (isObj(list(r.resource.name)[0]) ? { name: list(r.resource.name)[0] as Obj, index: 0 } : null);
  let name: unknown = null;
  if (chosen) {
    const n = chosen.name;
    const parts = [...list(n.prefix), ...list(n.given), n.family, ...list(n.suffix)].filter((s) => typeof s === 'string' && s.trim() !== '');
    name = n.text ?? (parts.length ? parts.join(' ') : null);
  }
  return {
    record: { key: ctx.keys.get(r), name, practitionerId: prac?.value ?? null },
    origin: {
      where: r.where, at: p,
      fields: {
        key: `${p}.id`, name: chosen ? `${p}.name[${chosen.index}]` : `${p}.name`,
        practitionerId: prac ? `${p}.identifier[${prac.index}].value` : `${p}.identifier`,
      },
    },
  };
}

/** An Encounter's visits: one per Practitioner among its participants. */
export function readEncounter(r: Located, ctx: Context): Made<Record<string, unknown>>[] {
  const p = r.path;
  const res = r.resource;
  const subject = ctx.refs.resolve(res.subject, 'Patient', r);
  if ('problem' in subject) problem(ctx, r, `${p}.subject`, subject.problem);
  const period = isObj(res.period) ? res.period : {};
  if (period.start === undefined) problem(ctx, r, `${p}.period.start`, 'required: the day of the visit');
  const date = dayOf(period.start);
  return list(res.participant).flatMap((participant, i) => {
    const at = `${p}.participant[${i}].individual`;
    if (!isObj(participant) || participant.individual === undefined) return [];
    const who = ctx.refs.resolve(participant.individual, 'Practitioner', r);
    // A RelatedPerson or PractitionerRole taking part is not who saw the patient here.
    if ('problem' in who) {
      if (who.problem !== 'must reference a Practitioner') problem(ctx, r, at, who.problem);
      return [];
    }
    return [{
      record: { patient: 'key' in subject ? subject.key : null, practitioner: who.key, date },
      origin: { where: r.where, at: p, fields: { patient: `${p}.subject`, practitioner: at, date: `${p}.period.start` } },
    }];
  });
}

/** A panel from a Group, and the visits its members' last-visit-date extensions record. */
export function readGroup(r: Located, ctx: Context): { panel: Made<Record<string, unknown>>; visits: Made<Record<string, unknown>>[] } {
  const p = r.path;
  const res = r.resource;
  const number = identifierIn(res, PANEL_NUMBER_SYSTEM);
  const practitioners: string[] = [];
  const practitionerAt: string[] = [];
  const addPractitioner = (value: unknown, at: string) => {
    const found = ctx.refs.resolve(value, 'Practitioner', r);
    if ('problem' in found) problem(ctx, r, at, found.problem);
    else if (!practitioners.includes(found.key)) {
      practitioners.push(found.key);
      practitionerAt.push(at);
    }
  };
  if (res.managingEntity !== undefined) addPractitioner(res.managingEntity, `${p}.managingEntity`);
  list(res.extension).forEach((e, i) => {
    if (isObj(e) && e.url === PANEL_PRACTITIONER_URL) addPractitioner(e.valueReference, `${p}.extension[${i}].valueReference`);
  });
  const members: Record<string, unknown>[] = [];
  const memberOrigins: Origin[] = [];
  const visits: Made<Record<string, unknown>>[] = [];
  list(res.member).forEach((m, j) => {
    const at = `${p}.member[${j}]`;
    // A member marked inactive has left the group (FHIR keeps former members that way).
    if (!isObj(m) || m.inactive === true) return;
    const entity = ctx.refs.resolve(m.entity, 'Patient', r);
    if ('problem' in entity) {
      problem(ctx, r, `${at}.entity`, entity.problem);
      return;
    }
    const start = isObj(m.period) ? m.period.start : undefined;
    members.push({ patient: entity.key, confirmedOn: start === undefined ? null : dayOf(start) });
    memberOrigins.push({ where: r.where, at, fields: { patient: `${at}.entity`, confirmedOn: `${at}.period.start` } });
    list(m.extension).forEach((e, k) => {
      if (!isObj(e) || e.url !== LAST_VISIT_URL) return;
      // The message says when the patient was last seen, not by whom: the panel's first practitioner.
      visits.push({
        record: { patient: entity.key, practitioner: practitioners[0] ?? null, date: e.valueDate ?? null },
        origin: { where: r.where, at, fields: { patient: `${at}.entity`, practitioner: practitionerAt[0] ?? `${p}.managingEntity`, date: `${at}.extension[${k}].valueDate` } },
      });
    });
  });
  return {
    panel: {
      record: {
        key: ctx.keys.get(r), name: res.name ?? null, practitioners, panelNumber: number?.value ?? null,
        cparEnabled: number !== null, failureRecipient: null, members,
      },
      origin: {
        where: r.where, at: p,
        fields: {
          key: `${p}.id`, name: `${p}.name`, practitioners: `${p}.managingEntity`,
          panelNumber: number ? `${p}.identifier[${number.index}].value` : `${p}.identifier`, members: `${p}.member`,
        },
        items: { practitioners: practitionerAt, members: memberOrigins },
      },
    },
    visits,
  };
}
