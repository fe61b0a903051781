// Validation of a clinical-record extract (see import.ts). Pure: what the database already
// holds comes in as `Existing`. Problems name a JSON path and never echo a patient's name,
// ULI or key — a path points at the value well enough.

import { lineProblem } from '../panels/text.ts';

export type Problem = { path: string; message: string };

export type Gender = 'F' | 'M' | 'X' | 'U';
export type PatientStatus = 'active' | 'inactive' | 'deceased' | 'moved_away';

export type PractitionerRecord = { key: string; name: string; practitionerId: string | null };
export type PatientRecord = {
  key: string; uli: string; lastName: string; firstName: string;
  birthDate: string; gender: Gender; status: PatientStatus;
};
export type VisitRecord = { patient: string; practitioner: string; date: string };
export type MemberRecord = { patient: string; confirmedOn: string | null };
export type PanelRecord = {
  key: string; name: string; practitioners: string[]; panelNumber: string | null;
  cparEnabled: boolean; failureRecipient: string | null; members: MemberRecord[];
};
export type ClinicalRecord = {
  practitioners: PractitionerRecord[]; patients: PatientRecord[];
  visits: VisitRecord[]; panels: PanelRecord[];
};

/** What the database holds for the values a file refers to (see `referencedValues`). */
export type Existing = {
  practitionerKeys: Set<string>;
  patientKeys: Set<string>;
  /** lower-cased usernames of enabled users */
  usernames: Set<string>;
  /** ULI → key of the patient holding it (null: a patient without a key) */
  uliOwners: Map<string, string | null>;
  /** panel number → key of the panel holding it */
  panelNumberOwners: Map<string, string | null>;
};

const GENDERS: readonly string[] = ['F', 'M', 'X', 'U'];
const STATUSES: readonly string[] = ['active', 'inactive', 'deceased', 'moved_away'];
const LISTS = ['practitioners', 'patients', 'visits', 'panels'] as const;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const at = (path: string, name: string) => (/^[A-Za-z_]\w*$/.test(name) ? `${path}.${name}` : `${path}[${JSON.stringify(name)}]`);

/** A real calendar date written YYYY-MM-DD, from the year 1 on (FHIR has no year 0). */
export function isRealDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || value < '0001-01-01') return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/**
 * Reads the fields of one record; a bad field yields a problem and an empty value. A blank
 * optional value (a Practitioner ID of spaces, a confirmation date written "") is what a
 * real clinical record holds for "not recorded": it is stored as missing, with a warning,
 * and readiness names it — a rule the run already reports is no reason to refuse a clinic.
 */
class Fields {
  constructor(readonly path: string, readonly obj: Obj, readonly problems: Problem[], allowed: readonly string[],
    readonly warnings: Problem[] = []) {
    for (const name of Object.keys(obj)) {
      if (!allowed.includes(name)) problems.push({ path: at(path, name), message: 'unknown field' });
    }
  }
  problem(name: string, message: string): '' {
    this.problems.push({ path: at(this.path, name), message });
    return '';
  }
  /** A non-blank string; null or absent only when nullable. */
  text(name: string, nullable = false): string | null {
    const value = this.obj[name];
    if (value === undefined || value === null) return nullable ? null : this.problem(name, 'required');
    if (typeof value !== 'string') return this.problem(name, nullable ? 'must be a string or null' : 'must be a string');
    if (nullable && value.trim() === '') {
      this.warnings.push({ path: at(this.path, name), message: 'blank: stored as not recorded' });
      return null;
    }
    const trouble = lineProblem(value);
    if (trouble) return this.problem(name, trouble);
    return value.trim() === '' ? this.problem(name, 'must not be blank') : value;
  }
  /** A real day; with `today`, one not after it (a birth or confirmation date cannot be in the future). */
  date(name: string, nullable = false, today?: string): string | null {
    const value = this.text(name, nullable);
    if (value && today && isRealDate(value) && value > today) return this.problem(name, `is in the future (today is ${today})`);
    if (!value || isRealDate(value)) return value;
    // Only something shaped like a date is echoed: a misplaced column could hold a name.
    return /^\d{4}-\d{2}-\d{2}$/.test(value)
      ? this.problem(name, `not a real date "${value}"`)
      : this.problem(name, 'must be a date written YYYY-MM-DD');
  }
  oneOf(name: string, values: readonly string[]): string {
    const value = this.text(name) ?? '';
    return value && !values.includes(value) ? this.problem(name, `must be one of ${values.join(', ')}`) : value;
  }
  boolean(name: string): boolean {
    const value = this.obj[name];
    if (typeof value === 'boolean') return value;
    this.problem(name, value === undefined ? 'required' : 'must be true or false');
    return false;
  }
  list(name: string): unknown[] {
    const value = this.obj[name];
    if (Array.isArray(value)) return value;
    this.problem(name, value === undefined ? 'required' : 'must be a list');
    return [];
  }
}

/** Reports every value seen twice: `seen` remembers where each value was first met. */
function unique(seen: Map<string, string>, value: string | null, path: string, what: string, problems: Problem[]) {
  if (!value) return;
  const first = seen.get(value);
  if (first) problems.push({ path, message: `${what} (also at ${first})` });
  else seen.set(value, path);
}

function records<T>(list: unknown[], path: string, problems: Problem[], fields: readonly string[], read: (f: Fields) => T,
  warnings?: Problem[]): T[] {
  return list.flatMap((value, i) => {
    const itemPath = `${path}[${i}]`;
    if (!isObj(value)) {
      problems.push({ path: itemPath, message: 'must be an object' });
      return [];
    }
    return [read(new Fields(itemPath, value, problems, fields, warnings))];
  });
}

/**
 * Checks an extract: shape, types, real dates, duplicates within the file, and references.
 * A reference (a visit's patient or practitioner, a panel's practitioner or member) may name
 * a key defined in the file or one already in the database. Each top-level list is optional.
 */
/** `today` is the import's Edmonton day: no birth or confirmation date may come after it. */
export function checkImport(input: unknown, existing: Existing, today: string):
  { ok: true; record: ClinicalRecord; warnings: Problem[] } | { ok: false; problems: Problem[] } {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  if (!isObj(input)) return { ok: false, problems: [{ path: '$', message: 'must be an object' }] };
  const top = new Fields('$', input, problems, LISTS);
  const list = (name: (typeof LISTS)[number]) => (input[name] === undefined ? [] : top.list(name));

  const practitionerKeys = new Map<string, string>();
  const practitioners = records(list('practitioners'), '$.practitioners', problems, ['key', 'name', 'practitionerId'], (f) => {
    const p = { key: f.text('key'), name: f.text('name'), practitionerId: f.text('practitionerId', true) };
    unique(practitionerKeys, p.key, at(f.path, 'key'), 'duplicate key', problems);
    return p as PractitionerRecord;
  }, warnings);

  const patientKeys = new Map<string, string>();
  const ulis = new Map<string, string>();
  const patients = records(list('patients'), '$.patients', problems,
    ['key', 'uli', 'lastName', 'firstName', 'birthDate', 'gender', 'status'], (f) => {
      const p = {
        key: f.text('key'), uli: f.text('uli'), lastName: f.text('lastName'), firstName: f.text('firstName'),
        birthDate: f.date('birthDate', false, today), gender: f.oneOf('gender', GENDERS), status: f.oneOf('status', STATUSES),
      };
      unique(patientKeys, p.key, at(f.path, 'key'), 'duplicate key', problems);
      if (p.uli && !/^\d{9}$/.test(p.uli)) p.uli = f.problem('uli', 'must be 9 digits');
      unique(ulis, p.uli, at(f.path, 'uli'), 'duplicate ULI', problems);
      const owner = p.uli ? existing.uliOwners.get(p.uli) : undefined;
      if (owner !== undefined && owner !== p.key) f.problem('uli', 'already belongs to another patient in the database');
      return p as PatientRecord;
    });

  const knownPractitioner = (key: string | null) => !key || practitionerKeys.has(key) || existing.practitionerKeys.has(key);
  const knownPatient = (key: string | null) => !key || patientKeys.has(key) || existing.patientKeys.has(key);
  const UNKNOWN_PRACTITIONER = 'no practitioner with this key in the file or the database';
  const UNKNOWN_PATIENT = 'no patient with this key in the file or the database';

  const visits = records(list('visits'), '$.visits', problems, ['patient', 'practitioner', 'date'], (f) => {
    const v = { patient: f.text('patient'), practitioner: f.text('practitioner'), date: f.date('date') };
    if (!knownPatient(v.patient)) f.problem('patient', UNKNOWN_PATIENT);
    if (!knownPractitioner(v.practitioner)) f.problem('practitioner', UNKNOWN_PRACTITIONER);
    return v as VisitRecord;
  });

  const panelKeys = new Map<string, string>();
  const panelNumbers = new Map<string, string>();
  const panels = records(list('panels'), '$.panels', problems,
    ['key', 'name', 'practitioners', 'panelNumber', 'cparEnabled', 'failureRecipient', 'members'], (f) => {
      const key = f.text('key');
      unique(panelKeys, key, at(f.path, 'key'), 'duplicate key', problems);
      const name = f.text('name');
      const panelNumber = f.text('panelNumber', true);
      unique(panelNumbers, panelNumber, at(f.path, 'panelNumber'), 'duplicate panel number', problems);
      const owner = panelNumber ? existing.panelNumberOwners.get(panelNumber) : undefined;
      if (owner !== undefined && owner !== key) f.problem('panelNumber', 'already belongs to another panel in the database');
      const cparEnabled = f.boolean('cparEnabled');
      if (cparEnabled && panelNumber === null) f.problem('panelNumber', 'required when cparEnabled is true');
      const failureRecipient = f.text('failureRecipient', true);
      if (failureRecipient && !existing.usernames.has(failureRecipient.toLowerCase())) {
        // The value is not repeated: a misplaced column could put a patient's data here.
        f.problem('failureRecipient', 'no active user has this username');
      }
      const practitionersPath = at(f.path, 'practitioners');
      const linked = new Map<string, string>();
      const practitioners = f.list('practitioners').map((value, i) => {
        const path = `${practitionersPath}[${i}]`;
        if (typeof value !== 'string' || value.trim() === '') {
          problems.push({ path, message: 'must be a practitioner key' });
          return '';
        }
        unique(linked, value, path, 'listed twice in this panel', problems);
        if (!knownPractitioner(value)) problems.push({ path, message: UNKNOWN_PRACTITIONER });
        return value;
      });
      if (Array.isArray(f.obj.practitioners) && practitioners.length === 0) {
        f.problem('practitioners', 'a panel needs at least one practitioner');
      }
      const listed = new Map<string, string>();
      const members = records(f.list('members'), at(f.path, 'members'), problems, ['patient', 'confirmedOn'], (m) => {
        const member = { patient: m.text('patient'), confirmedOn: m.date('confirmedOn', true, today) };
        unique(listed, member.patient, at(m.path, 'patient'), 'listed twice in this panel', problems);
        if (!knownPatient(member.patient)) m.problem('patient', UNKNOWN_PATIENT);
        return member as MemberRecord;
      }, warnings);
      return { key, name, practitioners, panelNumber, cparEnabled, failureRecipient, members } as PanelRecord;
    }, warnings);

  if (problems.length) return { ok: false, problems };
  return { ok: true, record: { practitioners, patients, visits, panels }, warnings };
}

/** The values of a (not yet checked) file the database must be asked about. */
export function referencedValues(input: unknown) {
  const items = (list: unknown): Obj[] => (Array.isArray(list) ? list.filter(isObj) : []);
  const strings = (values: unknown[]) => [...new Set(values.filter((v): v is string => typeof v === 'string'))];
  const root = isObj(input) ? input : {};
  const visits = items(root.visits);
  const panels = items(root.panels);
  return {
    practitionerKeys: strings([...visits.map((v) => v.practitioner), ...panels.flatMap((p) => (Array.isArray(p.practitioners) ? p.practitioners : []))]),
    patientKeys: strings([...visits.map((v) => v.patient), ...panels.flatMap((p) => items(p.members).map((m) => m.patient))]),
    ulis: strings(items(root.patients).map((p) => p.uli)),
    panelNumbers: strings(panels.map((p) => p.panelNumber)),
    usernames: strings(panels.map((p) => p.failureRecipient)),
  };
}
