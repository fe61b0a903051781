/**
 * A member's last visit as CPAR receives it: the latest visit with any practitioner of the
 * clinic up to day `day` (an SQL expression, e.g. `?1`), for patient `pt` of the statement.
 * patients.last_visit_on keeps each patient's latest visit (db/migrations/035); only when it
 * is after the day, a visit recorded ahead, are the patient's visits looked up (one seek).
 * Extraction, the members page and its CSV read it here, so they always agree.
 */
export function lastVisitUpTo(day: string): string {
  return `(CASE WHEN pt.last_visit_on IS NULL OR pt.last_visit_on <= ${day} THEN pt.last_visit_on
                ELSE (SELECT max(v.visit_date) FROM visits v WHERE v.patient_id = pt.id AND v.visit_date <= ${day}) END)`;
}
