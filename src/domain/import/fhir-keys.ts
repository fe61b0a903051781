// Keys and references of a FHIR import. A record's key (how the import matches it next time)
// comes from its resource id: `Patient/<id>`, `Practitioner/<id>`, `Group/<id>` — the
// resource's relative reference, stable on the server that exported it and never a patient's
// data. Without an id: a Bundle entry's `urn:uuid:` fullUrl (`Patient/<uuid>`), a Group's panel
// number (`Group?identifier=<number>`: the portal's own message has no id), a contained
// resource's id inside its Group's key (`Group?identifier=CPAR-1#patient-0`). A resource whose
// key is new but whose identifier (ULI, Practitioner ID, panel number) the database already
// holds is that record: it takes its key, so a contained Patient (whose id means nothing
// outside its message) or a clinic moving from the JSON extract to FHIR updates its records.
import { PANEL_NUMBER_SYSTEM, PRAC_ID_SYSTEM, ULI_SYSTEM } from '../../netcare/payload.ts';
import { isObj, type Located } from './fhir-files.ts';

export const KEYED = ['Patient', 'Practitioner', 'Group'] as const;
export type KeyedType = (typeof KEYED)[number];
const SYSTEM: Record<KeyedType, string> = { Patient: ULI_SYSTEM, Practitioner: PRAC_ID_SYSTEM, Group: PANEL_NUMBER_SYSTEM };

/** What the database holds: the keys, and the key of the record holding each identifier. */
export type Identities = Record<KeyedType, { keys: Set<string>; byIdentifier: Map<string, string> }>;

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const CONDITIONAL = /^([A-Za-z]+)\?identifier=([^|&]*)\|([^&]+)$/;

/** The value of the first current identifier in `system`, if any. */
export function identifierIn(resource: Record<string, unknown>, system: string): { value: string; index: number } | null {
  const list = Array.isArray(resource.identifier) ? resource.identifier : [];
  const index = list.findIndex((i) => isObj(i) && i.system === system && typeof i.value === 'string' && i.use !== 'old');
  return index < 0 ? null : { value: String((list[index] as Record<string, unknown>).value), index };
}

function businessIdentifier(r: Located): string | null {
  return identifierIn(r.resource, SYSTEM[r.resource.resourceType as KeyedType])?.value ?? null;
}

function ownKey(r: Located, keys: Map<Located, string>): string | null {
  const type = String(r.resource.resourceType);
  const id = typeof r.resource.id === 'string' && FHIR_ID.test(r.resource.id) ? r.resource.id : null;
  if (r.container) {
    const holder = keys.get(r.container);
    return holder && id ? `${holder}#${id}` : null;
  }
  if (id) return `${type}/${id}`;
  const uuid = /^urn:uuid:([0-9a-fA-F-]{36})$/.exec(r.fullUrl ?? '')?.[1];
  if (uuid) return `${type}/${uuid}`;
  const number = type === 'Group' ? businessIdentifier(r) : null;
  return number ? `Group?identifier=${number}` : null;
}

export type Keys = { keys: Map<Located, string>; unkeyed: Located[] };

/** What to ask the database: the keys top-level resources would have, and every business identifier. */
export function identityCandidates(resources: Located[]): Record<KeyedType, { keys: string[]; identifiers: string[] }> {
  const wanted = Object.fromEntries(KEYED.map((t) => [t, { keys: [] as string[], identifiers: [] as string[] }])) as
    Record<KeyedType, { keys: string[]; identifiers: string[] }>;
  const none = new Map<Located, string>();
  for (const r of resources) {
    const type = r.resource.resourceType as KeyedType;
    if (!KEYED.includes(type)) continue;
    const own = r.container ? null : ownKey(r, none);
    if (own) wanted[type].keys.push(own);
    const identifier = businessIdentifier(r);
    if (identifier) wanted[type].identifiers.push(identifier);
  }
  for (const r of resources) if (!r.container) referencedIdentifiers(r.resource, wanted);
  return wanted;
}

/** The identifiers references name (`Patient?identifier=…`, a logical `{ identifier }`): the database may hold them. */
function referencedIdentifiers(value: unknown, wanted: Record<KeyedType, { identifiers: string[] }>) {
  if (Array.isArray(value)) {
    for (const item of value) referencedIdentifiers(item, wanted);
    return;
  }
  if (!isObj(value)) return;
  const conditional = typeof value.reference === 'string' ? CONDITIONAL.exec(value.reference) : null;
  const logical = isObj(value.identifier) ? value.identifier : null;
  for (const type of KEYED) {
    if (conditional?.[1] === type && decodeURIComponent(conditional[2]) === SYSTEM[type]) wanted[type].identifiers.push(decodeURIComponent(conditional[3]));
    if (logical?.system === SYSTEM[type] && typeof logical.value === 'string') wanted[type].identifiers.push(logical.value);
  }
  for (const child of Object.values(value)) if (typeof child === 'object') referencedIdentifiers(child, wanted);
}

/** The key of every Patient, Practitioner and Group: top-level resources first, so their containers' keys are known. */
export function assignKeys(resources: Located[], db: Identities): Keys {
  const keys = new Map<Located, string>();
  const unkeyed: Located[] = [];
  const seenByIdentifier = new Map<string, string>();
  const ordered = [...resources.filter((r) => !r.container), ...resources.filter((r) => r.container)];
  for (const r of ordered) {
    const type = r.resource.resourceType as KeyedType;
    if (!KEYED.includes(type)) continue;
    const own = ownKey(r, keys);
    const identifier = businessIdentifier(r);
    const known = db[type];
    // Two contained copies of one patient (in two panels' messages) are one record; two
    // top-level resources are never merged: the import reports them as duplicates.
    const inDb = identifier ? known.byIdentifier.get(identifier) : undefined;
    const key = r.container ? inDb ?? (identifier && seenByIdentifier.get(`${type}|${identifier}`)) ?? own
      : own && known.keys.has(own) ? own : inDb ?? own;
    if (!key) {
      unkeyed.push(r);
      continue;
    }
    keys.set(r, key);
    if (identifier && !seenByIdentifier.has(`${type}|${identifier}`)) seenByIdentifier.set(`${type}|${identifier}`, key);
  }
  return { keys, unkeyed };
}

export type Resolved = { key: string; target?: Located } | { problem: string };

/** Finds what references point at: by relative reference, fullUrl, contained id or identifier. */
export class ReferenceIndex {
  private byRelative = new Map<string, Located>();
  private byFullUrl = new Map<string, Located>();
  private byIdentifier = new Map<string, Located>();
  private byContainedId = new Map<Located, Map<string, Located>>();

  constructor(resources: Located[], private keys: Map<Located, string>, private db: Identities) {
    for (const r of resources) {
      const type = String(r.resource.resourceType);
      if (r.container) {
        const inHolder = this.byContainedId.get(r.container) ?? new Map<string, Located>();
        inHolder.set(`#${String(r.resource.id)}`, r);
        this.byContainedId.set(r.container, inHolder);
        continue;
      }
      if (typeof r.resource.id === 'string') this.byRelative.set(`${type}/${r.resource.id}`, r);
      if (r.fullUrl) this.byFullUrl.set(`${r.where.file}\n${r.fullUrl}`, r);
      for (const i of Array.isArray(r.resource.identifier) ? r.resource.identifier : []) {
        if (isObj(i) && typeof i.system === 'string' && typeof i.value === 'string') this.byIdentifier.set(`${type}?${i.system}|${i.value}`, r);
      }
    }
  }

  /** The key a Reference (`{ reference }` or a logical `{ identifier }`) held by `from` points at, when it is a `type`. */
  resolve(value: unknown, type: KeyedType, from: Located): Resolved {
    const wrong = { problem: `must reference a ${type}` };
    if (!isObj(value)) return wrong;
    const found = this.find(value, type, from);
    if ('problem' in found) return found;
    if (found.target && found.target.resource.resourceType !== type) return wrong;
    if (!found.target && !found.key.startsWith(`${type}/`)) return wrong;
    return found;
  }

  private find(value: Record<string, unknown>, type: KeyedType, from: Located): Resolved {
    if (typeof value.reference !== 'string') {
      const i = value.identifier;
      return isObj(i) && typeof i.system === 'string' && typeof i.value === 'string'
        ? this.byBusinessIdentifier(type, i.system, i.value) : { problem: `must reference a ${type}` };
    }
    const ref = value.reference;
    if (ref.startsWith('#')) {
      const target = this.byContainedId.get(from.container ?? from)?.get(ref);
      return target ? this.located(target) : { problem: 'no contained resource has this id' };
    }
    const byUrl = this.byFullUrl.get(`${from.where.file}\n${ref}`);
    if (byUrl) return this.located(byUrl);
    if (ref.startsWith('urn:')) return { problem: 'no entry of this Bundle has this fullUrl' };
    const conditional = CONDITIONAL.exec(ref);
    if (conditional) {
      if (conditional[1] !== type) return { problem: `must reference a ${type}` };
      return this.byBusinessIdentifier(type, decodeURIComponent(conditional[2]), decodeURIComponent(conditional[3]));
    }
    const relative = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(ref);
    if (!relative) return { problem: 'not a reference this import can follow' };
    const target = this.byRelative.get(`${relative[1]}/${relative[2]}`);
    // Not in the files: perhaps already in the database — the import's own check decides.
    return target ? this.located(target) : { key: `${relative[1]}/${relative[2]}` };
  }

  private byBusinessIdentifier(type: KeyedType, system: string, value: string): Resolved {
    const target = this.byIdentifier.get(`${type}?${system}|${value}`);
    if (target) return this.located(target);
    const key = system === SYSTEM[type] ? this.db[type].byIdentifier.get(value) : undefined;
    return key ? { key } : { problem: `no ${type} with this identifier in the files or the database` };
  }

  private located(target: Located): Resolved {
    const key = this.keys.get(target);
    return key ? { key, target } : { problem: 'references a resource without an id' };
  }
}
