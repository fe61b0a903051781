import { STATUS_LABELS, type FlaggedMember, type MemberQuery } from '../domain/panels/panel-members.ts';
import { formatEdmontonDateTime } from '../domain/time/edmonton.ts';

export const panelUrl = (panelId: number) => `/settings/cii-cpar/panels/${panelId}`;
export const candidatesUrl = (panelId: number) => `${panelUrl(panelId)}/candidates`;
export const candidateSearchUrl = (panelId: number) => `${candidatesUrl(panelId)}/search`;
export const memberSearchUrl = (panelId: number) => `${panelUrl(panelId)}/members/search`;
export const confirmationsUrl = (panelId: number) => `${panelUrl(panelId)}/confirmations`;
export const csvUrl = (panelId: number) => `${panelUrl(panelId)}/members.csv`;
const memberUrl = (panelId: number, patientId: number) => `${panelUrl(panelId)}/members/${patientId}`;

/**
 * The members list with its filter, page (and notice parameters) as a URL: page 1 is left out,
 * and so is the search, which may be a patient's ULI or name — a search travels by POST only.
 */
export function membersUrl(panelId: number, query?: Partial<MemberQuery>, extra: Record<string, string | number> = {}): string {
  return listAddress(panelId, { ...query, q: '' }, extra);
}

/** The list as shown, search included, for the hidden `return_to` of a form: sent in POST bodies, never a link. */
export function returnToValue(panelId: number, query: MemberQuery): string {
  return listAddress(panelId, query, {});
}

function listAddress(panelId: number, query: Partial<MemberQuery> | undefined, extra: Record<string, string | number>): string {
  const params = new URLSearchParams();
  if (query?.q) params.set('q', query.q);
  if (query?.problem) params.set('problem', query.problem);
  if (query?.page && query.page > 1) params.set('page', String(query.page));
  for (const [key, value] of Object.entries(extra)) params.set(key, String(value));
  const search = params.toString();
  return `${panelUrl(panelId)}/members${search ? `?${search}` : ''}`;
}

const PROBLEM_TEXT = {
  no_confirmation_date: 'No confirmation date', no_last_visit: 'No last visit', date_in_future: 'Birth or confirmation date in the future',
} as const;

function DateCell({ name, date, missing, recorded }: { name: string; date: string | null; missing: boolean; recorded?: FlaggedMember['confirmation'] }) {
  if (date) {
    return (
      <td class={name}>
        <time datetime={date}>{date}</time>
        {recorded ? <span class="recorded">recorded by {recorded.by}, {formatEdmontonDateTime(recorded.at)}</span> : null}
      </td>
    );
  }
  return <td class={missing ? `${name} problem` : name}>{missing ? <strong>Missing</strong> : '—'}</td>;
}

/**
 * One member of the panel: a row of the members table and the swap target of its one-click
 * confirmation. Its checkbox belongs to the bulk form by the `form` attribute, since a row
 * also holds its own forms and forms cannot nest.
 */
export function MemberRowView({ panelId, member, returnTo, checked = false, message }: {
  panelId: number; member: FlaggedMember; returnTo: string; checked?: boolean; message?: string;
}) {
  const name = `${member.lastName}, ${member.firstName}`;
  const id = `member-${member.patientId}`;
  const active = member.status === 'active';
  return (
    <tr id={id} class={member.problems.length ? 'flagged' : active ? undefined : 'ineligible'}>
      <td class="select">
        <input type="checkbox" form="bulk-confirm" name="patient_id" value={String(member.patientId)} checked={checked}
          aria-label={`Select ${name}`} />
      </td>
      <th scope="row" class="name">{name}</th>
      <td class="uli">{member.uli}</td>
      <td class="birth-date">{member.birthDate}</td>
      <td class="status">
        {active ? STATUS_LABELS.active : <><span class="badge badge-ineligible">{STATUS_LABELS[member.status]}</span> <span class="meta">not sent</span></>}
      </td>
      <DateCell name="confirmed-on" date={member.confirmedOn} missing={member.problems.includes('no_confirmation_date')} recorded={member.confirmation} />
      <DateCell name="last-visit" date={member.lastVisitOn} missing={member.problems.includes('no_last_visit')} />
      <td class="actions">
        {member.problems.length ? <span class="visually-hidden">{member.problems.map((p) => PROBLEM_TEXT[p]).join('; ')}. </span> : null}
        {message ? <p class="error" role="alert">{message}</p> : null}
        {/* A recorded date is a fact: a row offers to fill a missing one, never to stamp over one. */}
        {member.confirmedOn !== null ? null : (
          <form method="post" action={`${memberUrl(panelId, member.patientId)}/confirmation`} class="inline"
            hx-post={`${memberUrl(panelId, member.patientId)}/confirmation`} hx-target={`#${id}`} hx-swap="outerHTML">
            <input type="hidden" name="return_to" value={returnTo} />
            <button type="submit">Confirm today<span class="visually-hidden"> for {name}</span></button>
          </form>
        )}{' '}
        <form method="post" action={`${memberUrl(panelId, member.patientId)}/removal`} class="inline"
          hx-post={`${memberUrl(panelId, member.patientId)}/removal`} hx-target={`#${id}`} hx-swap="outerHTML swapEmpty:true"
          hx-confirm={`Remove ${name} from this panel? The patient record is kept.`}>
          <input type="hidden" name="return_to" value={returnTo} />
          <button type="submit" class="secondary">Remove<span class="visually-hidden"> {name}</span></button>
        </form>
      </td>
    </tr>
  );
}
