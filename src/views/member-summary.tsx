import type { MemberFilter, MemberProblem, MembersPanel } from '../domain/panels/panel-members.ts';
import { flaggedIds } from '../domain/panels/panel-members.ts';
import type { ReadinessWarning, WarningKind } from '../domain/panels/readiness-warnings.ts';
import type { Validation } from '../domain/panels/validation.ts';
import { Readiness } from './readiness.tsx';
import { membersUrl } from './member-row.tsx';

export type SummaryCounts = { memberCount: number; eligibleCount: number };

const FILTERS: { problem: MemberProblem | null; label: string }[] = [
  { problem: null, label: 'All members' },
  { problem: 'no_confirmation_date', label: 'No confirmation date' },
  { problem: 'no_last_visit', label: 'No last visit' },
  { problem: 'date_in_future', label: 'Date in the future' },
];

const WARNING_FILTERS: Record<WarningKind, string> = {
  on_other_panel: 'Also on another panel',
  stale_visit: 'Not seen for years',
  stale_confirmation: 'Confirmed years ago',
};

const n = (count: number) => count.toLocaleString('en-CA');

/**
 * The panel's readiness (the pipeline's validation run now), its counts and the problem
 * filters: swapped in again after every change to the members.
 */
export function MembersSummary({ panel, validation, warnings, counts, problem }: {
  panel: MembersPanel; validation: Validation; warnings: ReadinessWarning[]; counts: SummaryCounts; problem: MemberFilter | null;
}) {
  // A warning's filter is offered while it has patients (or is the one chosen).
  const warningFilters = (Object.keys(WARNING_FILTERS) as WarningKind[])
    .map((kind) => ({ kind, count: warnings.find((w) => w.kind === kind)?.count ?? 0 }))
    .filter((f) => f.count > 0 || f.kind === problem);
  return (
    <section id="members-summary" aria-label="Readiness of this panel">
      <p class="counts">
        <strong>{n(counts.memberCount)}</strong> {counts.memberCount === 1 ? 'member' : 'members'}, {n(counts.eligibleCount)} active
        (only active patients are sent to CPAR).
      </p>
      {panel.cparEnabled ? null : <p class="meta">This panel is not CPAR-enabled, so it is not sent; the check shows what would fail if it were.</p>}
      <Readiness panelId={panel.id} validation={{ ...validation, warnings }} />
      <nav aria-label="Filter members" class="filters">
        {FILTERS.map((f) => {
          const count = f.problem ? flaggedIds(validation, f.problem).length : counts.memberCount;
          return (
            <a href={membersUrl(panel.id, { problem: f.problem })} aria-current={f.problem === problem ? 'page' : undefined}
              data-problem={f.problem ?? 'all'}>
              {f.label} ({n(count)})
            </a>
          );
        })}
        {warningFilters.map((f) => (
          <a href={membersUrl(panel.id, { problem: f.kind })} aria-current={f.kind === problem ? 'page' : undefined} data-problem={f.kind}>
            {WARNING_FILTERS[f.kind]} ({n(f.count)})
          </a>
        ))}
      </nav>
    </section>
  );
}
