import type { Judgement, RuleReason } from '../domain/panels/validation.ts';
import type { ReadinessWarning } from '../domain/panels/readiness-warnings.ts';

/**
 * Where each reason is fixed, on a page everyone who sees readiness may open: a missing
 * Practitioner ID leads to the panel's page, which links to the practitioner for those who
 * may edit one and names who can for the others.
 */
export function fixUrl(panelId: number, reason: RuleReason): string {
  switch (reason) {
    case 'name_too_long': return `/settings/cii-cpar/panels/${panelId}/edit`;
    case 'practitioner_without_id': return `/settings/cii-cpar/panels/${panelId}#practitioners`;
    case 'no_patients': return `/settings/cii-cpar/panels/${panelId}/members`;
    case 'no_last_visit':
    case 'no_confirmation_date':
    case 'date_in_future': return `/settings/cii-cpar/panels/${panelId}/members?problem=${reason}`;
  }
}

function Warnings({ panelId, warnings }: { panelId: number; warnings: ReadinessWarning[] | undefined }) {
  if (!warnings?.length) return null;
  return (
    <ul class="warnings" aria-label="Warnings">
      {warnings.map((w) => (
        <li data-warning={w.kind}><span class="warning-mark">Check:</span> <a href={`/settings/cii-cpar/panels/${panelId}/members?problem=${w.kind}`}>{w.message}</a></li>
      ))}
    </ul>
  );
}

/**
 * "Ready", or each reason the panel would fail now, with a link to fix it; then the warnings,
 * which do not stop a submission.
 */
export function Readiness({ panelId, validation }: { panelId: number; validation: Judgement }) {
  if (validation.ok) {
    return (
      <div class="readiness ready" id={`readiness-${panelId}`}>
        <span class="badge badge-ready">Ready</span>
        <Warnings panelId={panelId} warnings={validation.warnings} />
      </div>
    );
  }
  return (
    <div class="readiness not-ready" id={`readiness-${panelId}`}>
      <span class="badge badge-not-ready">Not ready</span>
      <ul class="reasons">
        {validation.failures.map((f) => (
          <li data-reason={f.reason}><a href={fixUrl(panelId, f.reason)}>{f.message}</a></li>
        ))}
      </ul>
      <Warnings panelId={panelId} warnings={validation.warnings} />
    </div>
  );
}
