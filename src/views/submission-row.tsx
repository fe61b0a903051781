import type { SubmissionRow } from '../domain/submissions.ts';
import { canSubmit, isOpen } from '../domain/submissions.ts';
import { nextSendTime } from '../domain/send-time.ts';
import { AUTOMATIC_RETRIES } from '../domain/failures.ts';
import { UNANSWERED } from '../domain/send-outcome.ts';
import { formatEdmontonDateTime } from '../domain/edmonton.ts';
import type { Judgement } from '../domain/validation.ts';
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

function Actions({ row, now, message }: { row: SubmissionRow; now: Date; message?: string }) {
  const status = row.last?.status;
  return (
    <td class="actions">
      {message ? <p class="error" role="alert">{message}</p> : null}
      {canSubmit(row) ? (
        <form method="post" action={submitUrl(row.panelId)} hx-post={submitUrl(row.panelId)}
          hx-target={`#panel-${row.panelId}`} hx-swap="outerHTML">
          <button type="submit">Submit<span class="visually-hidden"> {row.panelName}</span></button>
        </form>
      ) : status === 'Queued' ? (
        <span class="when">
          {row.last?.automaticRetry ? `Automatic retry ${row.last.automaticRetry} of ${AUTOMATIC_RETRIES}: Netcare did not get the last send. ` : null}
          Will be sent {nextSendTime(now).label}
        </span>
      ) : status === 'Pending' ? (
        <span class="when">{row.last?.unanswered ? UNANSWERED : 'Sent; awaiting Netcare’s confirmation'}</span>
      ) : null}
    </td>
  );
}

/** One panel's line of the Submissions table; the swap target of Submit and of polling. */
export function SubmissionRowView({ row, now, readiness, message }: {
  row: SubmissionRow; now: Date; readiness: Judgement; message?: string;
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
        {last ? <span class={`badge badge-${last.status.toLowerCase()}`}>{last.status}</span> : null}
      </td>
      <td class="error-cell">
        {last?.status === 'Failed' ? (
          <>
            {last.briefError}
            {last.recipientNotified === false ? <span class="not-notified"> No one was notified: the panel has no failure notification recipient.</span> : null}
          </>
        ) : null}
      </td>
      <Actions row={row} now={now} message={message} />
      <td class="readiness-cell"><Readiness panelId={row.panelId} validation={readiness} /></td>
    </tr>
  );
}
