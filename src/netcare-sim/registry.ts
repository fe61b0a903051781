// The simulated registry: Alberta's own demographics for each ULI and the CPAR panels of
// providers outside this clinic. Nothing is stored: the registry's view of a ULI is derived
// from (seed, ULI) by a hash — and, for another provider's confirmation, the day the panel was
// sent — so the same patient gets the same answer every month (until that provider's yearly
// confirmation comes round), and the demo seed can show what the simulator will answer by
// calling the same functions. Imports nothing of Hono: the demo seed and the bench use it too.

export type RegistryConfig = {
  seed: number;
  /** share of ULIs whose registry record differs from a clinic's in one field */
  mismatchShare: number;
  /** share of ULIs attached to a provider outside this clinic */
  conflictShare: number;
};

export const DEFAULT_REGISTRY: RegistryConfig = { seed: 2026, mismatchShare: 0.02, conflictShare: 0.03 };

export type FhirGenderCode = 'female' | 'male' | 'other' | 'unknown';
export type MismatchField = 'lastName' | 'firstName' | 'birthDate' | 'gender';

/** One submitted member as the registry compares it. */
export type SubmittedMember = {
  uli: string; family: string; given: string; birthDate: string; gender: FhirGenderCode;
  /** the member's confirmation date (period.start) */
  confirmedOn: string;
};

/** A panel's members, read one at a time: only the few the registry has something to say about are read in full. */
export type SubmittedMembers = {
  count: number;
  /** the day the panel was sent (its snapshot's calendar day in Edmonton): what the other attachments are as of */
  day: string;
  /** the member's ULI as a number: what the registry's hash reads, without making a string for every patient */
  uliNumber(index: number): number;
  member(index: number): SubmittedMember;
};

export type Attachment = { provider: string; clinic: string; confirmedOn: string };
export type FieldDifference = { field: MismatchField; clinic: string; registry: string };

/** What the registry did not accept as is, by member index. */
export type Finding =
  | { member: number; uli: string; kind: 'mismatch'; fields: FieldDifference[] }
  | ({ member: number; uli: string; kind: 'conflict' } & Attachment);

export type RegistryAnswer = { counted: number; findings: Finding[] };

/**
 * The registry's answer for a panel: a member whose name, birth date or gender differs from
 * the registry's is not counted; a member attached elsewhere more recently than here is
 * reported as a conflict (and still counted: it is on both panels until someone resolves it).
 */
export function judgePanel(config: RegistryConfig, members: SubmittedMembers): RegistryAnswer {
  const findings: Finding[] = [];
  let mismatched = 0;
  for (let i = 0; i < members.count; i++) {
    const number = members.uliNumber(i);
    const differs = draw(config.seed, number, SALT.mismatch) < config.mismatchShare;
    const elsewhere = draw(config.seed, number, SALT.conflict) < config.conflictShare;
    if (!differs && !elsewhere) continue;
    const member = members.member(i);
    const uli = member.uli;
    const fields = differs ? differences(config.seed, member) : [];
    if (fields.length > 0) {
      mismatched++;
      findings.push({ member: i, uli, kind: 'mismatch', fields });
    }
    const other = elsewhere ? attachmentOf(config.seed, uli, members.day) : null;
    // A confirmation here newer than the other one settles it this clinic's way.
    if (other && member.confirmedOn <= other.confirmedOn) findings.push({ member: i, uli, kind: 'conflict', ...other });
  }
  return { counted: members.count - mismatched, findings };
}

/**
 * The registry's record where it differs from the clinic's, in the one field the hash picks.
 * Each change is idempotent (the registry's value changed again is itself), so a clinic that
 * corrects its record to the registry's is no longer reported; a record already in that form
 * matches.
 */
function differences(seed: number, m: SubmittedMember): FieldDifference[] {
  const pick = draw(seed, m.uli, SALT.field);
  const field: MismatchField = pick < 0.4 ? 'lastName' : pick < 0.7 ? 'firstName' : pick < 0.9 ? 'birthDate' : 'gender';
  const clinic = field === 'lastName' ? m.family : field === 'firstName' ? m.given : field === 'birthDate' ? m.birthDate : m.gender;
  const registry = field === 'lastName' || field === 'firstName' ? respelled(clinic)
    : field === 'birthDate' ? shiftedDate(clinic, draw(seed, m.uli, SALT.date) < 0.5 ? 'day' : 'month')
    : draw(seed, m.uli, SALT.gender) < 0.5 ? 'female' : 'male';
  return registry === clinic ? [] : [{ field, clinic, registry }];
}

/** Spelled the registry's way: i as y ("Smith" → "Smyth"); a name with a y but no i already is; else the last letter doubled. */
export function respelled(name: string): string {
  if (name.includes('i')) return name.replaceAll('i', 'y');
  if (name.includes('y')) return name;
  const letters = Array.from(name);
  const last = letters[letters.length - 1];
  return letters[letters.length - 2] === last ? name : name + last;
}

/** A day or a month off: the day (or month) made even, keeping a real calendar date. */
export function shiftedDate(date: string, part: 'day' | 'month'): string {
  let [y, m, d] = date.split('-').map(Number);
  if (part === 'day' && d % 2 === 1) d = d + 1 <= daysIn(y, m) ? d + 1 : d - 1;
  if (part === 'month' && m % 2 === 1) {
    m += 1;
    d = Math.min(d, daysIn(y, m));
  }
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const PROVIDERS = ['Dr. Amara Singh', 'Dr. Luc Tremblay', 'Dr. Grace Whitford', 'Dr. Tomas Herrera', 'Dr. Mei Lin Chow', 'Dr. Ruth Okonkwo'];
const CLINICS = ['Riverbend Family Medicine', 'Whyte Avenue Medical Clinic', 'Bow Valley Primary Care', 'Northgate Health Centre', 'Lethbridge Westside Clinic'];
/**
 * The other provider a ULI is attached to, when it is, as of `day`. That provider confirms
 * the patient every year on a date the hash picks (a month, and a day up to the 28th), and
 * the registry holds the latest confirmation on or before `day`: always within the year
 * before it, so a clinic's share of conflicts does not wear away as its own confirmations move
 * on with time (with a fixed range of dates, every conflict would have been settled the
 * clinic's way within a few years), and the date only moves when that date comes round again.
 */
export function attachmentOf(seed: number, uli: string, day: string): Attachment {
  const pick = Math.floor(draw(seed, uli, SALT.since) * 12 * 28);
  const monthDay = `-${String(1 + Math.floor(pick / 28)).padStart(2, '0')}-${String(1 + (pick % 28)).padStart(2, '0')}`;
  const year = Number(day.slice(0, 4));
  const thisYear = `${year}${monthDay}`;
  return {
    provider: PROVIDERS[Math.floor(draw(seed, uli, SALT.provider) * PROVIDERS.length)],
    clinic: CLINICS[Math.floor(draw(seed, uli, SALT.clinic) * CLINICS.length)],
    confirmedOn: thisYear <= day ? thisYear : `${year - 1}${monthDay}`,
  };
}

const SALT = { mismatch: 1, conflict: 2, field: 3, date: 4, gender: 5, since: 6, provider: 7, clinic: 8 };

/** A number in [0, 1) fixed by (seed, ULI, salt): murmur3's finaliser over the three. */
export function draw(seed: number, uli: string | number, salt: number): number {
  let h = Math.imul(seed ^ Math.imul(salt, 0x9e3779b1), 0x85ebca6b) ^ Number(uli);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h ^ salt, 0x27d4eb2f);
  h ^= h >>> 15;
  return (h >>> 0) / 2 ** 32;
}
