import type { ActionTaken, FeedbackAction, FeedbackItem, RegistryFeedback } from '../domain/registry/registry-feedback.ts';
import { edmontonDate, edmontonParts, formatEdmontonDateTime } from '../domain/time/edmonton.ts';
import { Layout, type Chrome } from './layout.tsx';
import { shortName } from './submission-page.tsx';

export const registryFeedbackUrl = (panelId: number) => `/settings/cii-cpar/panels/${panelId}/registry`;
const actionUrl = (panelId: number, itemId: number) => `${registryFeedbackUrl(panelId)}/${itemId}`;

const FIELD_LABELS = { lastName: 'Family name', firstName: 'Given name', birthDate: 'Birth date', gender: 'Gender' } as const;
const ACTION_WORDS: Record<FeedbackAction, string> = {
  contacted: 'Contacted the patient',
  confirmed: 'The patient confirmed with us',
  corrected: 'Demographics corrected in the clinical record',
  removed: 'Removed from our panel',
};
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function OpenSince({ item, current }: { item: FeedbackItem; current: number }) {
  if (item.openSince.submissionId === current) return <span class="badge badge-new">New</span>;
  const { year, month } = edmontonParts(item.openSince.createdAt);
  return <span>Open since {MONTHS[month - 1]} {year}</span>;
}

function Done({ actions }: { actions: ActionTaken[] }) {
  if (actions.length === 0) return <span class="meta">Nothing recorded yet</span>;
  return (
    <ul class="done">
      {actions.map((a) => (
        <li>
          {ACTION_WORDS[a.action]}{a.confirmedOn ? ` (${a.confirmedOn})` : ''}
          <span class="meta"> — {a.by}, {formatEdmontonDateTime(a.at)}</span>
        </li>
      ))}
    </ul>
  );
}

/** The actions a clinic can record; removal asks first. Plain forms: they work without JavaScript. */
function Actions({ panelId, item, today }: { panelId: number; item: FeedbackItem; today: string }) {
  // Nothing can be recorded about a patient the clinical record no longer has under this ULI.
  if (!item.patient) return <p class="meta">Nothing to record: find the patient in the clinical record first.</p>;
  const url = actionUrl(panelId, item.id);
  const who = item.patient.name;
  const simple = (action: FeedbackAction) => (
    <form method="post" action={url} class="inline">
      <input type="hidden" name="action" value={action} />
      <button type="submit" class="secondary">{ACTION_WORDS[action]}<span class="visually-hidden">: {who}</span></button>
    </form>
  );
  return (
    <div class="feedback-actions">
      {simple('contacted')}
      {item.kind === 'mismatch' ? simple('corrected') : null}
      <form method="post" action={url} class="inline">
        <input type="hidden" name="action" value="confirmed" />
        <label for={`confirmed-on-${item.id}`}>Confirmed on</label>{' '}
        <input id={`confirmed-on-${item.id}`} name="confirmedOn" value={today} size={10} inputmode="numeric" />{' '}
        <button type="submit" class="secondary">Record confirmation<span class="visually-hidden">: {who}</span></button>
      </form>
      <details class="confirm">
        <summary>Remove from our panel…</summary>
        <form method="post" action={url}>
          <input type="hidden" name="action" value="removed" />
          <p>{who} leaves this panel now; the next submission no longer carries them.</p>
          <button type="submit" class="danger">Remove {who}</button>
        </form>
      </details>
    </div>
  );
}

function PatientCell({ item }: { item: FeedbackItem }) {
  return (
    <th scope="row">
      {/* the patient is found by the ULI the registry named, so theirs is that one */}
      {item.patient ? item.patient.name : <span class="meta">No patient in the clinical record has this ULI now</span>}
      {item.uli && <span class="uli meta"> {item.uli}</span>}
    </th>
  );
}

/** What the registry holds against the item: our value beside its value, or the other attachment. */
function Differs({ item }: { item: FeedbackItem }) {
  if (item.kind === 'conflict') {
    return <td data-label="Also attached to">{item.other.provider}<span class="meta">, {item.other.clinic}; confirmed there {item.other.confirmedOn}</span></td>;
  }
  return (
    <td data-label="Differs">
      <dl class="side-by-side">
        {item.fields.map((f) => (
          <div><dt>{FIELD_LABELS[f.field]}</dt><dd>Ours: <strong>{f.clinic}</strong></dd><dd>Registry: <strong>{f.registry}</strong></dd></div>
        ))}
      </dl>
    </td>
  );
}

const WORKLISTS = {
  mismatch: {
    id: 'mismatches', title: 'Demographic mismatches', column: 'Differs', empty: 'None: every patient matched the registry.',
    intro: "The registry left these patients out of the panel it counts: our record differs from Alberta's. Check with the patient, correct the clinical record, and the next submission sends the corrected values.",
  },
  conflict: {
    id: 'conflicts', title: 'Conflicts', column: 'Also attached to', empty: "None: no patient is on another provider's panel.",
    intro: "These patients are also on another provider's CPAR panel. Ask the patient who their one primary provider is: record their confirmation, or remove them from our panel.",
  },
} as const;

function Worklist({ kind, panelId, items, current, today }: {
  kind: FeedbackItem['kind']; panelId: number; items: FeedbackItem[]; current: number; today: string;
}) {
  const w = WORKLISTS[kind];
  return (
    <section id={w.id} aria-labelledby={`${w.id}-heading`}>
      <h2 id={`${w.id}-heading`}>{w.title} ({items.length})</h2>
      <p class="meta">{w.intro}</p>
      {items.length === 0 ? <p class="empty">{w.empty}</p> : (
        <div class="table-scroll" tabindex={0} role="region" aria-label={w.title}>
          <table class="feedback">
            <thead><tr><th scope="col">Patient</th><th scope="col">{w.column}</th><th scope="col">Open</th><th scope="col">What we did</th><th scope="col">Record</th></tr></thead>
            <tbody>
              {items.map((item) => (
                <tr id={`item-${item.id}`}>
                  <PatientCell item={item} />
                  <Differs item={item} />
                  <td data-label="Open"><OpenSince item={item} current={current} /></td>
                  <td data-label="What we did"><Done actions={item.actions} /></td>
                  <td><Actions panelId={panelId} item={item} today={today} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function RegistryFeedbackPage({ panel, feedback, now, notice, error, chrome }: {
  panel: { id: number; name: string }; feedback: RegistryFeedback; now: Date; notice?: string; error?: string; chrome: Chrome;
}) {
  const name = shortName(panel.name);
  const today = edmontonDate(now);
  return (
    <Layout title={`Registry feedback: ${name}`} chrome={chrome}>
      <p class="breadcrumb">Settings › CII/CPAR › <a href="/settings/cii-cpar/panels">Panels</a> › <a href={`/settings/cii-cpar/panels/${panel.id}`}>{name}</a></p>
      <h1>Registry feedback</h1>
      <p class="lead">{name}</p>
      {notice ? <p class="notice" role="status" id="feedback-notice">{notice}</p> : null}
      {error ? <p class="error" role="alert" id="feedback-error">{error}</p> : null}
      {!feedback ? <p class="empty" id="no-feedback">No answer from the registry yet: it comes with the first submission Netcare confirms.</p> : (
        <>
          <p id="feedback-summary">
            The latest submission Netcare confirmed ({formatEdmontonDateTime(feedback.submission.submittedAt)}): the registry counted{' '}
            <strong>{feedback.submission.counted.toLocaleString('en-CA')} of {feedback.submission.patientCount.toLocaleString('en-CA')}</strong> patients.
            An item is resolved when a later submission no longer reports it; what you record here says what the clinic did.
          </p>
          <Worklist kind="mismatch" panelId={panel.id} items={feedback.mismatches} current={feedback.submission.id} today={today} />
          <Worklist kind="conflict" panelId={panel.id} items={feedback.conflicts} current={feedback.submission.id} today={today} />
        </>
      )}
    </Layout>
  );
}
