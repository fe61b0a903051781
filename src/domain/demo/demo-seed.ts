import type { InStatement } from '@libsql/client';
import type { Db } from '../database/db.ts';
import type { Clock } from '../time/clock.ts';
import { createUser } from '../people/users.ts';
import { seededRandom } from './seeded-random.ts';
import { addDays, bulk, monthlyRuns, pastRuns, shuffle, ymd } from './demo-seed-tools.ts';
import { generatePassword } from '../people/passwords.ts';
import { edmontonDate, edmontonInstant, edmontonParts } from '../time/edmonton.ts';
import { failureMessage } from '../inbox/failure-message.ts';
import { AUTOMATIC_RETRIES } from '../submissions/failures.ts';
import { CONFIRMATION_WINDOW_MS, UNCONFIRMED } from '../pipeline/poll.ts';
import { UNREACHABLE } from '../submissions/send-outcome.ts';
import { demoRegistryStatements } from './demo-registry.ts';
import { registryNoticeStatement } from '../registry/registry-notice.ts';
import {
  BEAULIEU, DELGADO, DEMO_PANELS as PANELS, DEMO_PRACTITIONERS, DEMO_STAFF, FEMALE_FIRST_NAMES, HALVORSEN,
  LAST_NAMES, MACLEOD, MALE_FIRST_NAMES, OKAFOR, OSEI, TRAN, WALK_IN, WHITFORD, type PanelPlan, type Reason,
} from './demo-names.ts';

export type DemoUser = { username: string; fullName: string; password: string; role: string };
/**
 * The demo's users, and the submission the clerk queued two hours ago that the caller should
 * send at once through the real pipeline, so the demo has a genuinely Pending panel.
 */
export type DemoClinic = { users: DemoUser[]; sendNow: number[] };

type Staff = { admin: number; clerk: number; physician: number };
type Patient = {
  id: number; uli: string; first: string; last: string; birth: string; gender: string; status: string;
  home: number | null; visits: [date: string, practitioner: number][];
};
type Member = { patient: Patient; confirmed: boolean };
type Sub = {
  id: number; panel: number; status: 'Queued' | 'Pending' | 'Submitted' | 'Failed'; createdAt: number;
  count: number | null; brief: string | null; by: number | null; ref: string | null; pendingAt: number | null;
  submittedAt: number | null; failedAt: number | null; notified: number | null; readAt: number | null;
  problems: [Reason, number | null, string | null][];
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const PATIENTS = 3400;
const RUNS = 6;

/** A clinic with no users and no panels has never been set up: the demo may be seeded into it. */
export async function isEmptyClinic(db: Db): Promise<boolean> {
  const result = await db.execute('SELECT EXISTS (SELECT 1 FROM users) OR EXISTS (SELECT 1 FROM panels) AS used');
  return Number(result.rows[0].used) === 0;
}

/**
 * Seeds a fictional clinic around `clock.now()`: staff, practitioners, ~3,400 patients with
 * visits, healthy and failing CPAR panels, six months of monthly runs and the failure
 * messages. Returns the staff's generated credentials; prints nothing.
 */
export async function seedDemo(db: Db, clock: Clock): Promise<DemoClinic> {
  if (!(await isEmptyClinic(db))) throw new Error('The demo clinic can only be seeded into an empty clinic.');
  const now = clock.now();
  const hired: Clock = { now: () => new Date(now.getTime() - 2 * 365 * DAY) };
  const staff = DEMO_STAFF.map((user) => ({ ...user, password: generatePassword() }));
  const userIds: number[] = [];
  let sendNow: number[];
  try {
    for (const user of staff) { // one by one, so the ids follow the list
      const created = await createUser(db, hired, user);
      if (!created.ok) throw new Error(`The demo user ${user.username} could not be created.`);
      userIds.push(created.id);
    }
    const [admin, clerk, physician] = userIds;
    const clinic = await clinicStatements(db, now, { admin, clerk, physician });
    await db.batch(clinic.statements, 'write');
    sendNow = clinic.sendNow;
  } catch (error) {
    await db.execute({ sql: `DELETE FROM users WHERE id IN (${userIds.map(() => '?').join(', ')})`, args: userIds });
    throw error;
  }
  return { users: staff.map(({ username, fullName, password, role }) => ({ username, fullName, password, role })), sendNow };
}

async function clinicStatements(db: Db, now: Date, staff: Staff): Promise<{ statements: InStatement[]; sendNow: number[] }> {
  const next = (await db.execute(`SELECT
      (SELECT coalesce(max(id), 0) + 1 FROM practitioners) AS practitioner,
      (SELECT coalesce(max(id), 0) + 1 FROM patients) AS patient,
      (SELECT coalesce(max(id), 0) + 1 FROM panels) AS panel,
      (SELECT coalesce(max(id), 0) + 1 FROM submissions) AS submission`)).rows[0];
  const practitionerId = (i: number) => Number(next.practitioner) + i;
  const panelId = (i: number) => Number(next.panel) + i;
  const recipientId = (plan: PanelPlan) => (plan.recipient === null ? null : staff[plan.recipient]);
  const rng = seededRandom(20417); // the demo clinic is the same every time
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rng() * list.length)];
  const today = edmontonDate(now);
  const runs = monthlyRuns(now, RUNS);
  const lastRun = runs[RUNS - 1].getTime();
  const panelCreated = PANELS.map((plan, i) => {
    const first = plan.history.findIndex((o) => o !== null);
    if (first === 0 || !plan.cpar) return runs[0].getTime() - (400 + 90 * i) * DAY - 9 * HOUR;
    if (first > 0) return runs[first].getTime() - 20 * DAY - 9 * HOUR;
    // New since the last run: created mid-morning between the last run and now.
    const middle = new Date((lastRun + now.getTime()) / 2);
    const morning = edmontonInstant(...ymd(edmontonDate(middle)), 10, 15).getTime();
    return morning > lastRun && morning < now.getTime() ? morning : middle.getTime();
  });

  const ulis = new Set<string>();
  const patients: Patient[] = Array.from({ length: PATIENTS }, (_, i) => {
    let uli: string;
    do uli = String(100_000_000 + Math.floor(rng() * 900_000_000)); while (ulis.has(uli));
    ulis.add(uli);
    const g = rng();
    const gender = g < 0.505 ? 'F' : g < 0.99 ? 'M' : 'X';
    const firstNames = gender === 'F' || (gender === 'X' && rng() < 0.5) ? FEMALE_FIRST_NAMES : MALE_FIRST_NAMES;
    const s = rng();
    const status = s < 0.955 ? 'active' : s < 0.975 ? 'inactive' : s < 0.987 ? 'deceased' : 'moved_away';
    const birth = addDays(today, -1 - Math.floor(rng() * 92 * 365));
    const id = Number(next.patient) + i;
    return { id, uli, first: pick(firstNames), last: pick(LAST_NAMES), birth, gender, status, home: null, visits: [] };
  });

  // Each patient gets a home panel in turn (or none: walk-in only), in a shuffled order.
  const order = shuffle(rng, [...patients]);
  let taken = 0;
  const members: Member[][] = PANELS.map((plan, i) =>
    order.slice(taken, (taken += plan.size)).map((patient) => ((patient.home = i), { patient, confirmed: true })),
  );
  const unattached = order.slice(taken).map((patient) => ({ patient, confirmed: false }));
  const active = (list: Member[]) => list.filter((m) => m.patient.status === 'active');
  const as = (list: Member[], confirmed: boolean) => list.map((m) => ({ patient: m.patient, confirmed }));
  // The data behind two failing panels: 14 new patients of Dr. Osei not seen yet, and 37
  // patients on Dr. Halvorsen's panel never confirmed (12 of them confirmed with Dr. Okafor).
  const notSeen = active(members[OSEI]).slice(-14).map((m) => m.patient);
  for (const m of active(members[HALVORSEN]).slice(-25)) m.confirmed = false;
  members[HALVORSEN].push(...as(active(members[OKAFOR]).slice(0, 12), false));
  const unconfirmed = members[HALVORSEN].filter((m) => !m.confirmed).map((m) => m.patient);
  // Patients on two panels: registry conflicts, walk-in regulars, Dr. MacLeod's former patients.
  members[OSEI].push(...as(members[WHITFORD].slice(0, 40), true));
  members[WALK_IN].push(...unattached, ...as(members[TRAN].slice(0, 60), false));
  members[MACLEOD].push(...as(members[BEAULIEU], true), ...as(members[DELGADO].slice(0, 120), true));

  for (const patient of patients) {
    if (notSeen.includes(patient)) continue;
    for (let n = 1 + Math.floor(rng() * 5); n > 0; n--) {
      const home = patient.home === null || rng() < 0.3 ? null : PANELS[patient.home].practitioners[0];
      patient.visits.push([addDays(today, -1 - Math.floor(rng() * 3 * 365)), home ?? Math.floor(rng() * DEMO_PRACTITIONERS.length)]);
    }
  }
  // Confirmed at one of the patient's visits (the unseen: after last month's run), never
  // before the panel existed nor after it retired.
  const confirmedOn = (m: Member, i: number) => {
    if (!m.confirmed) return null;
    const earliest = edmontonDate(new Date(panelCreated[i]));
    const latest = PANELS[i].active ? today : edmontonDate(runs[2]);
    const date = m.patient.visits.length
      ? pick(m.patient.visits)[0]
      : addDays(edmontonDate(runs[RUNS - 2]), 1 + Math.floor(rng() * 10));
    return date < earliest ? earliest : date > latest ? latest : date;
  };
  const activeCount = members.map((list) => active(list).length);

  // Six monthly runs, then the manual submissions after them.
  const subs: Sub[] = [];
  const base = (panel: number, createdAt: number, count: number | null, by: number | null = null): Sub => ({
    id: 0, panel, status: 'Submitted', createdAt, count, brief: null, by, ref: null,
    pendingAt: null, submittedAt: null, failedAt: null, notified: null, readAt: null, problems: [],
  });
  const reference = (at: number) =>
    `NC-${edmontonDate(new Date(at)).replaceAll('-', '')}-${String(Math.floor(rng() * 1e5)).padStart(5, '0')}`;
  const submitted = (sub: Sub, sentAt: number): Sub => {
    const pendingAt = sentAt + Math.round((1 + rng() * 3) * MINUTE);
    return { ...sub, ref: reference(sentAt), pendingAt, submittedAt: pendingAt + Math.round((15 + rng() * 150) * MINUTE) };
  };
  runs.forEach((run, k) => PANELS.forEach((plan, i) => {
    const outcome = plan.history[k];
    if (outcome === null) return;
    const sub = base(i, run.getTime() + i * 1500, Math.round(activeCount[i] * (1 - 0.012 * (RUNS - 1 - k))));
    if (outcome === 'ok') return void subs.push(submitted(sub, sub.createdAt));
    // Patient-level problems grew month by month to today's count.
    const affected = outcome === 'no_last_visit' ? notSeen : outcome === 'no_confirmation_date' ? unconfirmed : [];
    const patientsAffected = affected.slice(0, Math.max(1, affected.length - 8 * (RUNS - 1 - k)));
    const sent = outcome === 'netcare_unconfirmed';
    const delay = outcome === 'netcare_unreachable' ? 12 * MINUTE : sent ? 2 * MINUTE + CONFIRMATION_WINDOW_MS : 2000;
    subs.push({
      ...sub, status: 'Failed', brief: briefError(outcome, plan, patientsAffected.length),
      failedAt: sub.createdAt + delay, notified: plan.recipient ? 1 : 0,
      pendingAt: sent ? sub.createdAt + 2 * MINUTE : null, ref: sent ? reference(sub.createdAt) : null,
      problems: patientsAffected.length
        ? patientsAffected.map((p) => [outcome, p.id, null])
        : [[outcome, null, problemDetail(outcome, plan)]],
    });
  }));
  // Dr. Okafor's unconfirmed run, resubmitted by the clerk the morning after it failed.
  const failedRun = edmontonParts(runs[2]);
  const unconfirmedRun = subs.find((s) => s.panel === OKAFOR && s.status === 'Failed')!;
  const resubmittedAt = edmontonInstant(failedRun.year, failedRun.month, 17, 9, 40).getTime();
  subs.push(submitted(base(OKAFOR, resubmittedAt, unconfirmedRun.count, staff.clerk),
    edmontonInstant(failedRun.year, failedRun.month, 17, 21).getTime()));
  const pendingFrom = now.getTime() - 2 * HOUR;
  const inFlight: Sub = { ...base(WHITFORD, pendingFrom, null, staff.admin), status: 'Queued' };
  subs.push(inFlight);
  // Dr. Tran's Netcare failure: the clerk read the message and queued the panel today.
  const startOfToday = edmontonInstant(...ymd(today)).getTime();
  const queuedAt = Math.max(now.getTime() - 35 * MINUTE, startOfToday);
  subs.push({ ...base(TRAN, queuedAt, null, staff.clerk), status: 'Queued' });
  subs.find((s) => s.panel === TRAN && s.status === 'Failed')!.readAt = queuedAt - 3 * MINUTE;
  subs.sort((a, b) => a.createdAt - b.createdAt).forEach((s, i) => (s.id = Number(next.submission) + i));
  const notices = subs.filter((s) => s.status === 'Failed' && PANELS[s.panel].recipient !== null);
  const confirmations = members.map((list, i) => list.map((m) => confirmedOn(m, i)));
  // The registry answered the last two runs (the earlier months' confirmations came before it did).
  const answered = subs.filter((s) => s.status === 'Submitted' && s.createdAt >= runs[RUNS - 2].getTime());
  const registry = demoRegistryStatements(
    answered
      .map((s) => ({ id: s.id, panelId: panelId(s.panel), createdAt: s.createdAt, count: s.count! })),
    (id) => members[id - panelId(0)].flatMap((m, k) => (m.patient.status === 'active' ? [{ ...m.patient, confirmedOn: confirmations[id - panelId(0)][k] }] : [])),
  );

  const statements = [
    bulk('practitioners', ['id', 'name', 'practitioner_id', 'user_id'], DEMO_PRACTITIONERS.map((p, i) =>
      [practitionerId(i), p.name, p.practitionerId, i === 0 ? staff.physician : null])),
    bulk('patients', ['id', 'uli', 'last_name', 'first_name', 'birth_date', 'gender', 'status'],
      patients.map((p) => [p.id, p.uli, p.last, p.first, p.birth, p.gender, p.status])),
    bulk('visits', ['patient_id', 'practitioner_id', 'visit_date'],
      patients.flatMap((p) => p.visits.map(([date, practitioner]) => [p.id, practitionerId(practitioner), date]))),
    bulk('panels', ['id', 'name', 'panel_number', 'cpar_enabled', 'active', 'failure_recipient_id', 'created_at'],
      PANELS.map((plan, i) =>
        [panelId(i), plan.name, plan.number, Number(plan.cpar), Number(plan.active), recipientId(plan), panelCreated[i]])),
    bulk('panel_practitioners', ['panel_id', 'practitioner_id'],
      PANELS.flatMap((plan, i) => plan.practitioners.map((p) => [panelId(i), practitionerId(p)]))),
    bulk('panel_members', ['panel_id', 'patient_id', 'confirmed_on'],
      members.flatMap((list, i) => list.map((m, k) => [panelId(i), m.patient.id, confirmations[i][k]]))),
    bulk('submissions', ['id', 'panel_id', 'status', 'created_at', 'patient_count', 'brief_error', 'trigger',
      'triggered_by', 'netcare_reference', 'pending_at', 'submitted_at', 'failed_at', 'recipient_notified'],
      subs.map((s) => [s.id, panelId(s.panel), s.status, s.createdAt, s.count, s.brief, s.by === null ? 'scheduled' : 'manual',
        s.by, s.ref, s.pendingAt, s.submittedAt, s.failedAt, s.notified])),
    bulk('submission_problems', ['submission_id', 'reason', 'patient_id', 'detail'],
      subs.flatMap((s) => s.problems.map(([reason, patient, detail]) => [s.id, reason, patient, detail]))),
    // Older messages were read the next morning; the last run's are still unread.
    bulk('inbox_messages', ['recipient_id', 'subject', 'body', 'created_at', 'read_at', 'panel_id', 'submission_id'],
      notices.map((s) => {
        const { subject, body } = message(PANELS[s.panel], s);
        const readAt = s.failedAt! < lastRun ? s.failedAt! + 14 * HOUR : s.readAt;
        return [recipientId(PANELS[s.panel]), subject, body, s.failedAt, readAt, panelId(s.panel), s.id];
      })),
    // The scheduler's record of the runs this history came from, so it does not run them again.
    bulk('scheduled_runs', ['job', 'scheduled_for', 'started_at', 'finished_at'],
      pastRuns(runs[0], now).map(({ job, scheduledFor }) => {
        const at = scheduledFor.getTime();
        return [job, at, at, at + 20 * MINUTE];
      })),
    ...registry,
    // Each recipient heard of the registry's new mismatches and conflicts as the poll tells them;
    // the last run's notices are still unread.
    ...answered.map((s) => registryNoticeStatement(s.id, new Date(s.submittedAt!))),
    { sql: "UPDATE inbox_messages SET read_at = created_at + ? WHERE kind = 'registry' AND created_at < ?", args: [14 * HOUR, lastRun] },
  ];
  return { statements, sendNow: [inFlight.id] };
}

function briefError(reason: Reason, plan: PanelPlan, patients: number): string {
  const have = patients === 1 ? '1 patient has' : `${patients} patients have`;
  switch (reason) {
    case 'name_too_long': return `The panel name is longer than 255 characters (${[...plan.name].length}).`;
    case 'practitioner_without_id': return `${practitionerWithoutId(plan)} has no Practitioner ID recorded.`;
    case 'no_patients': return 'The panel has no patients assigned.';
    case 'no_last_visit': return `${have} no last visit date.`;
    case 'no_confirmation_date': return `${have} no confirmation date for this panel.`;
    case 'netcare_unreachable': return UNREACHABLE;
    case 'netcare_unconfirmed': return UNCONFIRMED;
  }
}

/** As the pipeline records them: a panel-level rule's own message, Netcare's transport error. */
function problemDetail(reason: Reason, plan: PanelPlan): string | null {
  if (reason === 'netcare_unreachable') return 'connect ETIMEDOUT (3 attempts)';
  if (reason === 'netcare_unconfirmed') return null;
  return briefError(reason, plan, 0);
}

const practitionerWithoutId = (plan: PanelPlan) =>
  plan.practitioners.map((i) => DEMO_PRACTITIONERS[i]).find((p) => p.practitionerId === null)!.name;

/** The message the pipeline would have sent the failure recipient: counts, never names. */
function message(plan: PanelPlan, sub: Sub) {
  return failureMessage({
    panelName: plan.name,
    panelNumber: plan.number ?? '',
    createdAt: new Date(sub.createdAt),
    briefError: sub.brief!,
    patientCount: sub.count,
    patientsToFix: sub.problems.filter(([, patient]) => patient !== null).length,
    // The demo's transport failure stands for one whose automatic retries were spent too.
    automaticRetry: sub.problems.some(([reason]) => reason === 'netcare_unreachable')
      ? { number: AUTOMATIC_RETRIES, of: AUTOMATIC_RETRIES, at: null } : null,
  });
}
