import type { SubmissionRow } from '../domain/submissions/submissions.ts';
import { canSubmit, isOpen } from '../domain/submissions/submissions.ts';
import { queuedSendNote } from '../domain/pipeline/send-time.ts';
import { AUTOMATIC_RETRIES } from '../domain/submissions/failures.ts';
import { UNANSWERED } from '../domain/submissions/send-outcome.ts';
import { formatEdmontonDateTime } from '../domain/time/edmonton.ts';
import { registryFeedbackUrl } from './registry-feedback-page.tsx';
import type { Judgement } from '../domain/panels/validation.ts';
import { Readiness } from './readiness.tsx';

export const POLL_INTERVAL = 'every 10s';
const NAME_SHOWN = 120;

export const rowUrl = (panelId: number) => `/settings/cii-cpar/panels/${panelId}/submission`;
export const submitUrl = (panelId: number) => `/settings/cii-cpar/panels/${panelId}/submissions`;
export const historyUrl = submitUrl;

function PanelName({ id, name, number }: { id: number; name: string; number: string }) {
  // A name of at most NAME_SHOWN UTF-16 units has at most as many characters: no need to count them.
  const chars = name.length > NAME_SHOWN ? [...name] : null;
  const shown = chars && chars.length > NAME_SHOWN ? `${chars.slice(0, NAME_SHOWN).join('')}…` : name;
  return (
    <>
      <a class="panel-name" href={historyUrl(id)} title={shown === name ? undefined : name}>{shown}</a>
      <span class="panel-number">{number}</span>
    </>
  );
}

/**
 * Submit on a Not-ready panel asks first: the run would fail it for these reasons. The answer
 * posts again with `anyway`; Cancel brings the row back as it was.
 */
export function SubmitCheck({ row, readiness }: { row: SubmissionRow; readiness: Judgement }) {
  return (
    <div class="submit-check" role="alertdialog" aria-labelledby={`submit-check-${row.panelId}`} aria-describedby={`submit-check-reasons-${row.panelId}`}>
      <p id={`submit-check-${row.panelId}`} tabindex={-1} autofocus><strong>This panel will fail:</strong></p>
      <ul id={`submit-check-reasons-${row.panelId}`}>{readiness.failures.map((f) => <li>{f.message}</li>)}</ul>
      <p>Fix these first, or submit anyway.</p>
      <form method="post" action={submitUrl(row.panelId)} hx-post={submitUrl(row.panelId)}
        hx-target={`#panel-${row.panelId}`} hx-swap="outerHTML" class="inline">
        <input type="hidden" name="anyway" value="yes" />
        <button type="submit" class="secondary">Submit anyway<span class="visually-hidden"> {row.panelName}</span></button>
      </form>{' '}
      <a href="/settings/cii-cpar/submissions" hx-get={rowUrl(row.panelId)} hx-target={`#panel-${row.panelId}`} hx-swap="outerHTML">Cancel</a>
    </div>
  );
}

function Actions({ row, now, message, check, readiness, queued }: {
  row: SubmissionRow; now: Date; message?: string; check?: boolean; readiness: Judgement; queued?: boolean;
}) {
  const status = row.last?.status;
  // Just queued: focus stays on this row (the Submit button it held is gone).
  const focus = queued ? { tabindex: -1, autofocus: true } : {};
  return (
    <td class="actions" {...focus}>
      {message ? <p class="error" role="alert">{message}</p> : null}
      {check && canSubmit(row) && !readiness.ok ? <SubmitCheck row={row} readiness={readiness} /> : canSubmit(row) ? (
        <form method="post" action={submitUrl(row.panelId)} hx-post={submitUrl(row.panelId)}
          hx-target={`#panel-${row.panelId}`} hx-swap="outerHTML">
          <button type="submit">Submit<span class="visually-hidden"> {row.panelName}</span></button>
        </form>
      ) : status === 'Queued' ? (
        <span class="when">
          {row.last?.automaticRetry ? `Automatic retry ${row.last.automaticRetry} of ${AUTOMATIC_RETRIES}: Netcare did not get the last send. ` : null}
          {queuedSendNote(row.last!.createdAt, now)}
        </span>
      ) : status === 'Pending' ? (
        <span class="when">{row.last?.unanswered ? UNANSWERED : 'Sent; awaiting Netcare’s confirmation'}</span>
      ) : null}
    </td>
  );
}

/** One panel's line of the Submissions table; the swap target of Submit and of polling. */
export function SubmissionRowView({ row, now, readiness, message, check, queued }: {
  row: SubmissionRow; now: Date; readiness: Judgement; message?: string;
  /** Submit was pressed on a Not-ready panel: ask before queuing it */
  check?: boolean;
  /** the row was just queued by Submit */
  queued?: boolean;
}) {
  const last = row.last;
  const polling = last && isOpen(last.status)
    ? { 'hx-get': rowUrl(row.panelId), 'hx-trigger': POLL_INTERVAL, 'hx-swap': 'outerHTML' }
    : {};
  return (
    <tr id={`panel-${row.panelId}`} {...polling}>
      <th scope="row" class="panel"><PanelName id={row.panelId} name={row.panelName} number={row.panelNumber} /></th>
      <td class="created">
        {last ? <time datetime={last.createdAt.toISOString()}>{formatEdmontonDateTime(last.createdAt)}</time> : null}
      </td>
      <td class="patients num">{last?.patientCount ?? null}</td>
      <td class="status">
        {last ? <span class={`badge badge-${last.status.toLowerCase()}`}>{last.status}</span> : <span class="never">Never submitted</span>}
        {last?.status === 'Submitted' && last.registryCounted !== null ? (
          <a class="counted" href={registryFeedbackUrl(row.panelId)}>
            {last.registryCounted.toLocaleString('en-CA')} of {(last.patientCount ?? 0).toLocaleString('en-CA')} counted
          </a>
        ) : null}
      </td>
      <td class="error-cell">
        {last?.status === 'Failed' ? (
          <>
            {last.briefError}
            {last.recipientNotified === false ? <span class="not-notified"> No one was notified: the panel has no failure notification recipient.</span> : null}
          </>
        ) : null}
      </td>
      <Actions row={row} now={now} message={message} check={check} readiness={readiness} queued={queued} />
      <td class="readiness-cell"><Readiness panelId={row.panelId} validation={readiness} /></td>
    </tr>
  );
}
