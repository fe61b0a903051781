import type { Db } from '../database/db.ts';
import type { Status } from './submissions.ts';
import type { ProblemReason } from './failures.ts';
import { edmontonInstant, edmontonParts } from '../time/edmonton.ts';
import { MONTHLY_JOB } from '../pipeline/runs.ts';

export const SUBMISSIONS_PER_PAGE = 24;
export const PATIENTS_PER_PAGE = 50;

export type Paged<T> = { items: T[]; page: number; pageCount: number; total: number };

/** A page number that exists: anything out of range falls back to the nearest page. */
function pageOf(requested: number, total: number, perPage: number) {
  const pageCount = Math.max(1, Math.ceil(total / perPage));
  const page = Math.min(Math.max(1, Number.isSafeInteger(requested) ? requested : 1), pageCount);
  return { page, pageCount, offset: (page - 1) * perPage };
}

const date = (v: unknown) => (v === null ? null : new Date(Number(v)));
const text = (v: unknown) => (v === null ? null : String(v));

/** A panel as its overview shows it: who, where it stands, and counts only. */
export type PanelOverview = {
  id: number;
  name: string;
  panelNumber: string | null;
  cparEnabled: boolean;
  active: boolean;
  practitioners: { id: number; name: string; practitionerId: string | null }[];
  failureRecipient: string | null;
  /** members whose patient status is active: the ones a submission would carry */
  activeMembers: number;
};

export async function getPanelOverview(db: Db, panelId: number): Promise<PanelOverview | null> {
  const [panel, practitioners] = await db.batch([
    {
      sql: `SELECT p.id, p.name, p.panel_number, p.cpar_enabled, p.active, u.full_name AS recipient,
                   (SELECT count(*) FROM panel_members m JOIN patients pt ON pt.id = m.patient_id
                     WHERE m.panel_id = p.id AND pt.status = 'active') AS active_members
              FROM panels p LEFT JOIN users u ON u.id = p.failure_recipient_id
             WHERE p.id = ?`,
      args: [panelId],
    },
    {
      sql: `SELECT pr.id, pr.name, pr.practitioner_id FROM panel_practitioners pp
              JOIN practitioners pr ON pr.id = pp.practitioner_id
             WHERE pp.panel_id = ? ORDER BY pr.name, pr.id`,
      args: [panelId],
    },
  ], 'read');
  const r = panel.rows[0];
  if (!r) return null;
  return {
    id: Number(r.id),
    name: String(r.name),
    panelNumber: text(r.panel_number),
    cparEnabled: Number(r.cpar_enabled) === 1,
    active: Number(r.active) === 1,
    practitioners: practitioners.rows.map((p) => ({
      id: Number(p.id),
      name: String(p.name),
      practitionerId: p.practitioner_id === null || String(p.practitioner_id).trim() === '' ? null : String(p.practitioner_id),
    })),
    failureRecipient: text(r.recipient),
    activeMembers: Number(r.active_members),
  };
}

/** One submission with everything its history row and its page show. */
export type SubmissionFacts = {
  id: number;
  panelId: number;
  panelName: string;
  panelNumber: string | null;
  status: Status;
  createdAt: Date;
  trigger: 'scheduled' | 'manual';
  /** full name of the user who queued a manual submission */
  triggeredBy: string | null;
  patientCount: number | null;
  briefError: string | null;
  netcareReference: string | null;
  pendingAt: Date | null;
  submittedAt: Date | null;
  failedAt: Date | null;
  recipientNotified: boolean | null;
  /** which automatic retry (1–3) of a failed send this is */
  automaticRetry: number | null;
};

const FACTS_SQL = `
  SELECT s.id, s.panel_id, p.name AS panel_name, p.panel_number, s.status, s.created_at, s.trigger,
         u.full_name AS triggered_by, s.patient_count, s.brief_error, s.netcare_reference,
         s.pending_at, s.submitted_at, s.failed_at, s.recipient_notified, s.automatic_retry
    FROM submissions s
    JOIN panels p ON p.id = s.panel_id
    LEFT JOIN users u ON u.id = s.triggered_by`;

function toFacts(r: Record<string, unknown>): SubmissionFacts {
  return {
    id: Number(r.id),
    panelId: Number(r.panel_id),
    panelName: String(r.panel_name),
    panelNumber: text(r.panel_number),
    status: r.status as Status,
    createdAt: new Date(Number(r.created_at)),
    trigger: r.trigger as SubmissionFacts['trigger'],
    triggeredBy: text(r.triggered_by),
    patientCount: r.patient_count === null ? null : Number(r.patient_count),
    briefError: text(r.brief_error),
    netcareReference: text(r.netcare_reference),
    pendingAt: date(r.pending_at),
    submittedAt: date(r.submitted_at),
    failedAt: date(r.failed_at),
    recipientNotified: r.recipient_notified === null ? null : Number(r.recipient_notified) === 1,
    automaticRetry: r.automatic_retry === null ? null : Number(r.automatic_retry),
  };
}

/** Every submission of a panel, newest first (same-instant ties: the later id first). */
export async function listPanelSubmissions(db: Db, panelId: number, { page = 1 } = {}): Promise<Paged<SubmissionFacts>> {
  const total = Number((await db.execute({ sql: 'SELECT count(*) AS n FROM submissions WHERE panel_id = ?', args: [panelId] })).rows[0].n);
  const at = pageOf(page, total, SUBMISSIONS_PER_PAGE);
  const rows = await db.execute({
    sql: `${FACTS_SQL} WHERE s.panel_id = ? ORDER BY s.created_at DESC, s.id DESC LIMIT ? OFFSET ?`,
    args: [panelId, SUBMISSIONS_PER_PAGE, at.offset],
  });
  return { items: rows.rows.map((r) => toFacts(r)), page: at.page, pageCount: at.pageCount, total };
}

export async function getSubmission(db: Db, submissionId: number): Promise<SubmissionFacts | null> {
  const result = await db.execute({ sql: `${FACTS_SQL} WHERE s.id = ?`, args: [submissionId] });
  return result.rows[0] ? toFacts(result.rows[0]) : null;
}

/** Submit is offered on a panel in the monthly run whose last submission is final, or that has none. */
export function offersSubmit(panel: Pick<PanelOverview, 'active' | 'cparEnabled'>, last: Pick<SubmissionFacts, 'status'> | undefined): boolean {
  return panel.active && panel.cparEnabled && (!last || last.status === 'Submitted' || last.status === 'Failed');
}

/** A problem of the panel as a whole (or of a patient since removed from the record). */
export type PanelProblem = { reason: ProblemReason; detail: string | null; count: number };
/** One patient to fix, with every reason recorded against them. */
export type PatientProblems = { patientId: number; lastName: string; firstName: string; uli: string; reasons: ProblemReason[] };

const REASON_ORDER: ProblemReason[] = ['name_too_long', 'practitioner_without_id', 'no_patients', 'no_last_visit',
  'no_confirmation_date', 'date_in_future', 'message_check', 'netcare_rejected', 'netcare_error', 'netcare_unreachable', 'netcare_unconfirmed'];

/** The problems recorded when a submission failed: the panel's, then its patients' by name, a page at a time. */
export async function listSubmissionProblems(db: Db, submissionId: number, { page = 1 } = {}): Promise<{
  panel: PanelProblem[]; patients: Paged<PatientProblems>;
}> {
  const [panelRows, total] = await db.batch([
    {
      sql: `SELECT reason, detail, count(*) AS n FROM submission_problems
             WHERE submission_id = ? AND patient_id IS NULL GROUP BY reason, detail ORDER BY min(id)`,
      args: [submissionId],
    },
    {
      sql: `SELECT count(DISTINCT patient_id) AS n FROM submission_problems
             WHERE submission_id = ? AND patient_id IS NOT NULL`,
      args: [submissionId],
    },
  ], 'read');
  const count = Number(total.rows[0].n);
  const at = pageOf(page, count, PATIENTS_PER_PAGE);
  const patientRows = await db.execute({
    sql: `SELECT pt.id, pt.last_name, pt.first_name, pt.uli, group_concat(sp.reason) AS reasons
            FROM submission_problems sp JOIN patients pt ON pt.id = sp.patient_id
           WHERE sp.submission_id = ?
           GROUP BY pt.id
           ORDER BY pt.last_name COLLATE NOCASE, pt.first_name COLLATE NOCASE, pt.id
           LIMIT ? OFFSET ?`,
    args: [submissionId, PATIENTS_PER_PAGE, at.offset],
  });
  return {
    panel: panelRows.rows.map((r) => ({ reason: r.reason as ProblemReason, detail: text(r.detail), count: Number(r.n) })),
    patients: {
      items: patientRows.rows.map((r) => {
        const reasons = new Set(String(r.reasons).split(','));
        return {
          patientId: Number(r.id), lastName: String(r.last_name), firstName: String(r.first_name), uli: String(r.uli),
          reasons: REASON_ORDER.filter((reason) => reasons.has(reason)),
        };
      }),
      page: at.page, pageCount: at.pageCount, total: count,
    },
  };
}

/** One Edmonton month of the chart: its latest scheduled submission's patient count, or a gap. */
export type MonthCount = {
  /** 'YYYY-MM', Edmonton */
  month: string;
  patientCount: number | null;
  status: Status | null;
  submissionId: number | null;
  /** of those, how many the registry counted, once it has answered */
  registryCounted: number | null;
};

const monthKey = (year: number, month: number) => `${year}-${String(month).padStart(2, '0')}`;

/**
 * Patients per monthly-run submission over the 12 Edmonton months ending with the one of
 * `now`, oldest first. A submission belongs to the monthly run that sent it, whoever queued
 * it (a clerk's Submit on the morning of the 15th joins that run), and to the month of the
 * run's scheduled instant.
 */
export async function monthlyPatientCounts(db: Db, panelId: number, now: Date): Promise<MonthCount[]> {
  const { year, month } = edmontonParts(now);
  const months = Array.from({ length: 12 }, (_, i) => {
    const index = year * 12 + (month - 1) - 11 + i;
    return { year: Math.floor(index / 12), month: (index % 12) + 1 };
  });
  const from = edmontonInstant(months[0].year, months[0].month, 1);
  const until = edmontonInstant(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1);
  const result = await db.execute({
    sql: `SELECT id, status, monthly_at, patient_count, registry_counted FROM (
            SELECT s.id, s.status, s.patient_count, s.registry_counted, coalesce(r.scheduled_for, s.created_at) AS monthly_at
              FROM submissions s LEFT JOIN scheduled_runs r ON r.id = s.run_id AND r.job = ?
             WHERE s.panel_id = ? AND s.patient_count IS NOT NULL AND (s.trigger = 'scheduled' OR r.id IS NOT NULL))
           WHERE monthly_at >= ? AND monthly_at < ?
           ORDER BY monthly_at DESC, id DESC`,
    args: [MONTHLY_JOB, panelId, from.getTime(), until.getTime()],
  });
  const latest = new Map<string, Record<string, unknown>>();
  for (const r of result.rows) {
    const p = edmontonParts(new Date(Number(r.monthly_at)));
    const key = monthKey(p.year, p.month);
    if (!latest.has(key)) latest.set(key, r);
  }
  return months.map(({ year: y, month: m }) => {
    const r = latest.get(monthKey(y, m));
    return {
      month: monthKey(y, m),
      patientCount: r ? Number(r.patient_count) : null,
      status: r ? (r.status as Status) : null,
      submissionId: r ? Number(r.id) : null,
      registryCounted: r && r.registry_counted !== null ? Number(r.registry_counted) : null,
    };
  });
}
