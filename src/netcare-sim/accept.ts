// The simulator's quick way to accept a message: reading its bytes once and keeping only what
// validateCparGroup looks at, instead of JSON.parse making a dozen objects for every patient
// (three quarters of the simulator's time in a province's monthly run). It only ever says
// "valid, with this panel number and patient count", and says it only when it is sure:
// anything it does not settle itself (a problem of any kind, an escape in a compared value,
// a repeated key, the members before the contained resources) gives null, and the message is
// read the general way. A property test holds it to readReceipt's general path.
import { isCalendarDate, LAST_VISIT_URL, PANEL_NUMBER_SYSTEM, PRAC_ID_SYSTEM, SUBMISSION_ID_SYSTEM, ULI_SYSTEM } from '../netcare/payload.ts';
import { MAX_PANEL_NAME_LENGTH, panelNameLength } from '../domain/panels/validation.ts';
import { ascii, FieldReader, keys, OTHER_EXTENSION } from './field-reader.ts';
import { undecided, UNDECIDED } from './json-scan.ts';
import { SpanTable } from './span-table.ts';
import { membersFromSpans } from './members.ts';
import type { SubmittedMembers } from './registry.ts';

export type Accepted = { panelNumber: string; patientCount: number; members: SubmittedMembers };

/** The facts of a message validateCparGroup finds no problem in; null when not settled here. */
export function acceptedMessage(bytes: Uint8Array): Accepted | null {
  try {
    return new GroupReader(bytes).read();
  } catch (error) {
    if (error === UNDECIDED) return null;
    throw error;
  }
}

const V = {
  Group: ascii('Group'), person: ascii('person'), Patient: ascii('Patient'), Practitioner: ascii('Practitioner'),
  official: ascii('official'), lastVisit: ascii(LAST_VISIT_URL),
  female: ascii('female'), male: ascii('male'), other: ascii('other'), unknown: ascii('unknown'),
};
const INSTANT = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const PRACTITIONER = -1;
const OTHER = -2;

class GroupReader extends FieldReader {
  /** the snapshot day as yyyymmdd, once meta.lastUpdated is read */
  private today = 0;
  /** contained resources by id: a patient's index in `ulis`, PRACTITIONER or OTHER */
  private readonly byId: SpanTable;
  private readonly ulis: number[] = [];
  /** each Patient's bytes, [start, end), by its index in `ulis`: the registry reads a few in full */
  private readonly patientStarts: number[] = [];
  private readonly patientEnds: number[] = [];
  /** each member's Patient (index in `ulis`) and confirmation day */
  private readonly memberPatients: number[] = [];
  private readonly memberConfirmed: number[] = [];
  private readonly memberUlis = new Set<number>();
  private practitioners = 0;

  constructor(bytes: Uint8Array) {
    super(bytes, SYSTEMS);
    this.byId = new SpanTable(this.s.bytes);
  }

  read(): Accepted {
    const s = this.s;
    let seen = 0;
    let panelNumber: string | undefined;
    let quantity = -1;
    let members = -1;
    let managing = -1;
    let managingEnd = -1;
    let identifiers = 0;
    if (s.peek() !== 0x7b) undecided();
    for (let first = true; s.key(first); first = false) {
      const key = this.key(seen, ROOT_KEYS);
      seen |= key;
      if (key === 0) s.skip();
      else if (key === ROOT.resourceType) this.expect(V.Group);
      else if (key === ROOT.type) this.expect(V.person);
      else if (key === ROOT.actual) s.literal() === true || undecided();
      else if (key === ROOT.meta) this.meta();
      else if (key === ROOT.name) this.panelName();
      else if (key === ROOT.quantity) quantity = s.peek() === 0x2d || isDigit(s.peek()) ? s.number() : undecided();
      else if (key === ROOT.managingEntity) {
        managing = this.reference();
        managingEnd = this.referenceEnd;
      }
      else if (key === ROOT.contained) {
        this.expectedSystem = 3; // the ULI's
        for (let one = true; s.item(one); one = false) this.resource();
      }
      else if (key === ROOT.identifier) {
        for (let one = true; s.item(one); one = false) {
          this.identifier();
          if (this.system === SYSTEM.panelNumber) {
            panelNumber ??= this.text(this.value);
            if (this.filled(this.value)) identifiers |= 1;
          } else if (this.system === SYSTEM.submissionId && this.filled(this.value)) identifiers |= 2;
        }
      } else {
        // the members: after the resources they refer to, which the reader has then seen
        if (!(seen & ROOT.contained) || this.today === 0) undecided();
        members = 0;
        for (let one = true; s.item(one); one = false) this.member(members++);
      }
    }
    s.finish();
    const all = ROOT.resourceType | ROOT.type | ROOT.actual | ROOT.meta | ROOT.name | ROOT.identifier | ROOT.managingEntity | ROOT.member;
    if ((seen & all) !== all || identifiers !== 3 || panelNumber === undefined || this.practitioners === 0) undecided();
    if (quantity !== members || managing < 0 || this.byId.get(managing, managingEnd) !== PRACTITIONER) undecided();
    const spans = { ulis: this.ulis, starts: this.patientStarts, ends: this.patientEnds };
    return { panelNumber, patientCount: members, members: membersFromSpans(s.bytes, spans, this.memberPatients, this.memberConfirmed) };
  }

  private meta() {
    const s = this.s;
    let seen = 0;
    for (let first = true; s.key(first); first = false) {
      const key = this.key(seen, META_KEYS);
      seen |= key;
      if (key === 0) s.skip();
      else {
        const instant = INSTANT.exec(s.plainString());
        if (!instant || !isCalendarDate(instant[1])) undecided();
        this.today = Number(instant[1].replaceAll('-', ''));
      }
    }
    if (!seen) undecided();
  }

  private panelName() {
    this.s.string();
    const name = this.text(this.span());
    if (name.trim() === '' || panelNameLength(name) > MAX_PANEL_NAME_LENGTH) undecided();
  }

  /** One of the contained resources: a Patient or Practitioner is judged as validateCparGroup would. */
  private resource() {
    const s = this.s;
    let seen = 0;
    let kind = OTHER;
    let id = -1;
    let idEnd = -1;
    let uli = -1;
    let pracId = false;
    let named = false;
    let gender = false;
    let birthDate = -1;
    s.peek();
    const startAt = s.at;
    for (let first = true; s.key(first); first = false) {
      const key = this.key(seen, RESOURCE_KEYS);
      seen |= key;
      if (key === 0) s.skip();
      else if (key === 1) kind = s.stringIs(V.Patient) ? 0 : s.is(V.Practitioner) ? PRACTITIONER : OTHER;
      else if (key === 2) {
        s.string();
        if (!s.plain) undecided();
        id = s.start;
        idEnd = s.end;
      }
      else if (key === 4) {
        for (let one = true; s.item(one); one = false) {
          this.identifier();
          if (this.system === SYSTEM.uli && uli < 0 && this.filled(this.value)) uli = this.nineDigits(this.value);
          else if (this.system === SYSTEM.pracId && this.filled(this.value)) pracId = true;
        }
      } else if (key === 8) {
        for (let one = true; s.item(one); one = false) named = this.name(named) || named;
      } else if (key === 16) {
        s.string();
        gender = s.is(V.female) || s.is(V.male) || s.is(V.other) || s.is(V.unknown);
      } else {
        s.string();
        birthDate = this.date();
      }
    }
    if (id < 0) undecided();
    if (kind === PRACTITIONER) {
      if (!pracId) undecided();
      this.practitioners++;
    } else if (kind === 0) {
      if (uli < 0 || !named || !gender || this.today === 0 || birthDate > this.today) undecided();
      kind = this.ulis.length;
      this.ulis.push(uli);
      this.patientStarts.push(startAt);
      this.patientEnds.push(s.at);
    }
    // two resources with one id: the general way decides which a reference means
    if (!this.byId.add(id, idEnd, kind)) undecided();
  }

  /**
   * One of a Patient's names. Only the first official one counts: true once it is read and
   * both names are filled; `done` when it came before.
   */
  private name(done: boolean): boolean {
    const s = this.s;
    let seen = 0;
    let official = false;
    let family = false;
    let given = false;
    for (let first = true; s.key(first); first = false) {
      const key = this.key(seen, NAME_KEYS);
      seen |= key;
      if (key === 0) s.skip();
      else if (key === 1) {
        if (s.peek() !== 0x22) s.skip();
        else {
          official = s.stringIs(V.official);
        }
      } else if (key === 2) {
        s.string();
        family = this.filled(this.span());
      } else {
        given = false;
        for (let one = true; s.item(one); one = false) {
          if (!one) s.skip();
          else {
            s.string();
            given = this.filled(this.span());
          }
        }
      }
    }
    if (done || !official) return false;
    if (!family || !given) undecided();
    return true;
  }

  /** One member: its Patient, confirmation and last visit, judged as validateCparGroup would. */
  private member(index: number) {
    const s = this.s;
    let seen = 0;
    let target = -1;
    let targetEnd = -1;
    let confirmed = -1;
    let lastVisit = -1;
    for (let first = true; s.key(first); first = false) {
      const key = this.key(seen, MEMBER_KEYS);
      seen |= key;
      if (key === 0) s.skip();
      else if (key === 1) {
        target = this.reference();
        targetEnd = this.referenceEnd;
      }
      else if (key === 2) confirmed = this.period();
      else {
        for (let one = true; s.item(one); one = false) {
          const date = this.extension(V.lastVisit);
          if (lastVisit < 0 && date !== OTHER_EXTENSION) lastVisit = date;
        }
      }
    }
    const patient = target < 0 ? undefined : this.byId.get(target, targetEnd);
    if (patient === undefined || patient < 0 || index < 0) undecided();
    const uli = this.ulis[patient];
    if (this.memberUlis.has(uli)) undecided();
    this.memberUlis.add(uli);
    if (confirmed < 0 || confirmed > this.today || lastVisit < 0 || lastVisit > this.today) undecided();
    this.memberPatients.push(patient);
    this.memberConfirmed.push(confirmed);
  }

}

const ROOT_NAMES = ['resourceType', 'type', 'actual', 'meta', 'name', 'quantity', 'managingEntity', 'contained', 'identifier', 'member'] as const;
const ROOT_KEYS = keys(...ROOT_NAMES);
const ROOT = Object.fromEntries(ROOT_NAMES.map((k, i) => [k, 1 << i])) as Record<(typeof ROOT_NAMES)[number], number>;
const META_KEYS = keys('lastUpdated');
const RESOURCE_KEYS = keys('resourceType', 'id', 'identifier', 'name', 'gender', 'birthDate');
const NAME_KEYS = keys('use', 'family', 'given');
const MEMBER_KEYS = keys('entity', 'period', 'extension');
const SYSTEMS = [PANEL_NUMBER_SYSTEM, SUBMISSION_ID_SYSTEM, PRAC_ID_SYSTEM, ULI_SYSTEM].map(ascii);
const SYSTEM = { panelNumber: 1, submissionId: 2, pracId: 4, uli: 8 };

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
