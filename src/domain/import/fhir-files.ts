// Reads FHIR R4 files into located resources: a Bundle (JSON), a single resource (JSON: the
// portal's own submission Group is one), or Bulk Data NDJSON (a resource a line, as a FHIR
// server's $export writes them). Each resource keeps where it came from — file, NDJSON line
// or Bundle entry, and its FHIRPath-like location — so that a problem can point at it without
// repeating a value from it.

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Where a resource is: `line` for NDJSON (from 1), `entry` for a Bundle (from 0). */
export type Where = { file: string; line?: number; entry?: number };

export type Located = {
  resource: Obj;
  where: Where;
  /** the resource's FHIRPath-like location: `Patient`, `Bundle.entry[3].resource`, `Group.contained[2]` */
  path: string;
  /** a Bundle entry's fullUrl (`urn:uuid:…` references resolve through it) */
  fullUrl?: string;
  /** the resource holding this one in `contained` */
  container?: Located;
};

export type FhirProblem = Where & { location: string; message: string };

/** Where a resource is, for a person: `Patient.ndjson line 4`, `clinic.json entry 12`. */
export function describeWhere(where: Where): string {
  if (where.line !== undefined) return `${where.file} line ${where.line}`;
  if (where.entry !== undefined) return `${where.file} entry ${where.entry}`;
  return where.file;
}

export type SourceFile = { name: string; text: string };
export type Read = { resources: Located[]; problems: FhirProblem[] };

/** Whether a parsed JSON file is FHIR (a Bundle or a resource) rather than the portal's own extract. */
export function isFhirJson(value: unknown): boolean {
  return isObj(value) && typeof value.resourceType === 'string';
}

/** The resources of every file, in file order; NDJSON by its `.ndjson` name, anything else as JSON. */
export function readFhirFiles(files: SourceFile[]): Read {
  const read: Read = { resources: [], problems: [] };
  for (const file of files) {
    if (/\.ndjson$/i.test(file.name)) readNdjson(file, read);
    else readJson(file, read);
  }
  return read;
}

function readNdjson(file: SourceFile, read: Read) {
  const lines = file.text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((text, i) => {
    if (text.trim() === '') return;
    const where = { file: file.name, line: i + 1 };
    const value = parse(text);
    if (!isObj(value) || typeof value.resourceType !== 'string') {
      read.problems.push({ ...where, location: '(line)', message: value === undefined ? 'not valid JSON' : 'not a FHIR resource (no resourceType)' });
      return;
    }
    read.resources.push({ resource: value, where, path: value.resourceType });
  });
}

function readJson(file: SourceFile, read: Read) {
  const value = parse(file.text.replace(/^\uFEFF/, ''));
  const where = { file: file.name };
  // A Bulk Data export's manifest lists its files; it holds no resource.
  if (isObj(value) && Array.isArray(value.output) && typeof value.transactionTime === 'string') return;
  if (!isFhirJson(value)) {
    read.problems.push({ ...where, location: '(file)', message: value === undefined ? 'not valid JSON' : 'not a FHIR resource (no resourceType)' });
    return;
  }
  const resource = value as Obj & { resourceType: string };
  if (resource.resourceType !== 'Bundle') {
    read.resources.push({ resource, where, path: resource.resourceType });
    return;
  }
  const entries = Array.isArray(resource.entry) ? resource.entry : [];
  entries.forEach((entry, i) => {
    const at = { ...where, entry: i };
    const path = `Bundle.entry[${i}].resource`;
    const inner = isObj(entry) ? entry.resource : undefined;
    // An entry without a resource (a transaction's DELETE, a search's outcome) carries no data.
    if (inner === undefined) return;
    if (!isObj(inner) || typeof inner.resourceType !== 'string') {
      read.problems.push({ ...at, location: path, message: 'not a FHIR resource (no resourceType)' });
      return;
    }
    const fullUrl = isObj(entry) && typeof entry.fullUrl === 'string' ? entry.fullUrl : undefined;
    read.resources.push({ resource: inner, where: at, path, fullUrl });
  });
}

// Only that the text is not JSON is said: V8's message quotes the text, which may be a patient's.
function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The contained resources of a located resource, located inside it. */
export function containedOf(holder: Located): Located[] {
  const list = Array.isArray(holder.resource.contained) ? holder.resource.contained : [];
  return list.flatMap((r, i) => (isObj(r) && typeof r.resourceType === 'string'
    ? [{ resource: r, where: holder.where, path: `${holder.path}.contained[${i}]`, container: holder }] : []));
}
