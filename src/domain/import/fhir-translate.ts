// FHIR resources → the portal's clinical-record extract (the input of checkImport), so that a
// FHIR import is checked and written by the very same rules as the JSON one. Pure: what the
// database holds comes in as `Identities`. Resources of other types are skipped and counted.
import { containedOf, describeWhere, type FhirProblem, type Located, type Read } from './fhir-files.ts';
import { assignKeys, ReferenceIndex, type Identities } from './fhir-keys.ts';
import { NOT_VISITS, readEncounter, readGroup, readPatient, readPractitioner, type Context, type Made, type Origin } from './fhir-records.ts';

export const LISTS = ['practitioners', 'patients', 'visits', 'panels'] as const;
type List = (typeof LISTS)[number];
export type Extract = Record<List, Record<string, unknown>[]>;
export type Origins = Record<List, Origin[]>;

export type Translation = {
  extract: Extract;
  origins: Origins;
  /** resources not imported, by what they are: `Observation`, `Encounter (planned)`… */
  skipped: Record<string, number>;
  problems: FhirProblem[];
};

/** The resources of the files and, after them, the resources they contain. */
export function withContained(top: Located[]): Located[] {
  return [...top, ...top.flatMap(containedOf)];
}

export function translateFhir(read: Read, db: Identities): Translation {
  const all = withContained(read.resources);
  const { keys, unkeyed } = assignKeys(all, db);
  const problems: FhirProblem[] = [...read.problems];
  const ctx: Context = { refs: new ReferenceIndex(all, keys, db), keys, problems };
  for (const r of unkeyed) problems.push({ ...r.where, location: `${r.path}.id`, message: "required: the record's key comes from it" });

  const extract: Extract = { practitioners: [], patients: [], visits: [], panels: [] };
  const origins: Origins = { practitioners: [], patients: [], visits: [], panels: [] };
  const skipped: Record<string, number> = {};
  const skip = (what: string) => {
    skipped[what] = (skipped[what] ?? 0) + 1;
    return false;
  };
  const add = (listName: List, made: Made<Record<string, unknown>>) => {
    extract[listName].push(made.record);
    origins[listName].push(made.origin);
  };
  // A contained Patient or Practitioner that is a record already met (the same ULI in two
  // panels' messages) is written once; one that says something else about it is a problem.
  const firstOf = new Map<string, { record: string; at: string }>();
  const addOnce = (listName: 'patients' | 'practitioners', r: Located, made: Made<Record<string, unknown>>) => {
    const id = `${listName}\n${String(made.record.key)}`;
    const first = firstOf.get(id);
    if (!r.container || !first) {
      if (!first) firstOf.set(id, { record: JSON.stringify(made.record), at: `${r.path} (${describeWhere(r.where)})` });
      add(listName, made);
    } else if (first.record !== JSON.stringify(made.record)) {
      problems.push({ ...r.where, location: r.path, message: `the same ${listName === 'patients' ? 'patient' : 'practitioner'} as ${first.at}, with other values` });
    }
  };

  // What one resource gives; false when it is skipped (its contained resources with it).
  const readOne = (r: Located): boolean => {
    const type = String(r.resource.resourceType);
    if (type === 'Patient') addOnce('patients', r, readPatient(r, ctx));
    else if (type === 'Practitioner') addOnce('practitioners', r, readPractitioner(r, ctx));
    else if (r.container) return false;
    else if (type === 'Encounter') {
      if (NOT_VISITS.includes(String(r.resource.status))) return skip(`Encounter (${String(r.resource.status)})`);
      const visits = readEncounter(r, ctx);
      if (visits.length === 0) return skip('Encounter (no Practitioner took part)');
      for (const v of visits) add('visits', v);
    } else if (type === 'Group') {
      if (r.resource.type !== 'person' || r.resource.actual !== true) return skip('Group (not an actual group of persons)');
      if (r.resource.active === false) return skip('Group (inactive)');
      const { panel, visits } = readGroup(r, ctx);
      add('panels', panel);
      for (const v of visits) add('visits', v);
    } else return skip(type);
    return true;
  };
  const wasRead = new Set<Located>();
  const unread = new Set(unkeyed);
  for (const r of all) {
    if (unread.has(r) || (r.container && !wasRead.has(r.container))) continue;
    if (readOne(r)) wasRead.add(r);
  }
  return { extract, origins, skipped, problems };
}
