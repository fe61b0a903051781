// Readiness carried from a day to the next. Triggers forget a panel's stored facts when any
// data they were gathered from changes, so a row still there describes today's data as of
// its day. Of its facts only four depend on the day, each a count of members for whom a
// condition holds; a member's condition can change from one day to a later one only when
// one of its dates lies between them, or between the two days' cutoffs. Those few members
// are counted as of both days, and the difference moves the stored counts: the result is
// the gathering's count exactly, without reading every member again each morning.

/** How far back a stored day is carried: beyond it, the members to count again are many. */
export const CARRY_DAYS = 31;

/**
 * The day-dependent conditions on active member `m` (patient `pt`) as of `day`, an SQL
 * expression of a YYYY-MM-DD day, with the warnings' cutoffs for that day. Gathering counts
 * them once; carrying forward counts them as of the stored day and as of today.
 */
export function dayConditions(day: string, visitCutoff: string, confirmationCutoff: string) {
  return {
    withoutVisit: `NOT EXISTS (SELECT 1 FROM visits v WHERE v.patient_id = m.patient_id AND v.visit_date <= ${day})`,
    withFutureDate: `pt.birth_date > ${day} OR m.confirmed_on > ${day}`,
    // The last visit up to the day (one index seek), as extraction reads it.
    staleVisit: `(SELECT v.visit_date FROM visits v WHERE v.patient_id = m.patient_id AND v.visit_date <= ${day}
                   ORDER BY v.visit_date DESC LIMIT 1) < ${visitCutoff}`,
    staleConfirmation: `m.confirmed_on < ${confirmationCutoff}`,
  };
}

export const DAY_COUNTS = ['withoutVisit', 'withFutureDate', 'staleVisit', 'staleConfirmation'] as const;

const NEW = dayConditions('?1', 'k.visit_cutoff', 'k.confirmation_cutoff');
const OLD = dayConditions('?3', 'k.old_visit_cutoff', 'k.old_confirmation_cutoff');

/**
 * Moves the stored facts of day ?3 to day ?1 (a later day), computed_at ?2, for the panels
 * `only` keeps (an SQL condition on panel `p`). The members whose conditions may differ:
 * - a visit after the stored day up to today: the last visit, and whether there is one;
 * - a visit or a confirmation between the two days' cutoffs: a last visit or confirmation
 *   that has become stale (a last visit is one of the member's visits);
 * - every member of a panel that counted a date in the future: such a date may have come.
 *   A panel that counted none has no date after the stored day, so none can arrive.
 * A member counted who changed nothing adds as much as it takes away. CROSS JOIN keeps the
 * few members first: left to itself, SQLite reads every member of the carried panels.
 */
export const CARRY_FORWARD = (only: string) => `
  WITH k AS MATERIALIZED (SELECT date(?1, '-' || stale_visit_years || ' years') AS visit_cutoff,
                                 date(?1, '-' || stale_confirmation_years || ' years') AS confirmation_cutoff,
                                 date(?3, '-' || stale_visit_years || ' years') AS old_visit_cutoff,
                                 date(?3, '-' || stale_confirmation_years || ' years') AS old_confirmation_cutoff
                            FROM clinic_settings),
       carried AS MATERIALIZED (SELECT r.panel_id, r.facts FROM panel_readiness r JOIN panels p ON p.id = r.panel_id
                                 WHERE r.as_of_day = ?3 AND ?3 < ?1 ${only}),
       touched (panel_id, patient_id) AS (
         SELECT m.panel_id, m.patient_id FROM visits v JOIN panel_members m ON m.patient_id = v.patient_id
          WHERE v.visit_date > ?3 AND v.visit_date <= ?1
         UNION
         SELECT m.panel_id, m.patient_id FROM k, visits v JOIN panel_members m ON m.patient_id = v.patient_id
          WHERE v.visit_date >= min(k.old_visit_cutoff, k.visit_cutoff) AND v.visit_date < max(k.old_visit_cutoff, k.visit_cutoff)
         UNION
         SELECT m.panel_id, m.patient_id FROM k, panel_members m
          WHERE m.confirmed_on >= min(k.old_confirmation_cutoff, k.confirmation_cutoff)
            AND m.confirmed_on < max(k.old_confirmation_cutoff, k.confirmation_cutoff)
         UNION
         SELECT m.panel_id, m.patient_id FROM carried c CROSS JOIN panel_members m ON m.panel_id = c.panel_id
          WHERE c.facts ->> 'withFutureDate' > 0),
       delta AS (
         SELECT m.panel_id,
                ${DAY_COUNTS.map((n) => `count(*) FILTER (WHERE ${NEW[n]}) - count(*) FILTER (WHERE ${OLD[n]}) AS ${n}`).join(',\n                ')}
           FROM touched t CROSS JOIN panel_members m ON m.panel_id = t.panel_id AND m.patient_id = t.patient_id
           CROSS JOIN patients pt ON pt.id = m.patient_id AND pt.status = 'active' CROSS JOIN k
          WHERE +t.panel_id IN (SELECT panel_id FROM carried)
          GROUP BY m.panel_id)
  UPDATE panel_readiness SET as_of_day = ?1, computed_at = ?2,
         facts = json_set(panel_readiness.facts,
                   ${DAY_COUNTS.map((n) => `'$.${n}', (panel_readiness.facts ->> '${n}') + coalesce(d.${n}, 0)`).join(',\n                   ')})
    FROM carried c LEFT JOIN delta d ON d.panel_id = c.panel_id
   WHERE panel_readiness.panel_id = c.panel_id`;

/** The stored days that can be carried to `day`: earlier, and at most CARRY_DAYS before it. */
export const CARRIED_DAYS = `SELECT DISTINCT as_of_day FROM panel_readiness
                              WHERE as_of_day < ?1 AND as_of_day >= date(?1, '-${CARRY_DAYS} days')`;
