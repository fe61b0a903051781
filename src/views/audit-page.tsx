import type { AuditFilter, AuditRow, FilterProblem } from '../domain/audit/audit-query.ts';
import { AUDIT_ACTIONS } from '../domain/audit/audit-query.ts';
import { AuditObject, actionWords, entryWords, permissionWords } from './audit-words.tsx';
import { Layout, type Chrome } from './layout.tsx';

/** A request's random id is long: its first 8 characters tell entries of one request apart. The scheduler's ids say what they are. */
function RequestId({ id }: { id: string | null }) {
  if (!id) return null;
  return /^submission-\d+$/.test(id) ? <>{id.replace('-', ' ')}</> : <code title={id}>{id.slice(0, 8)}</code>;
}

type Props = { rows: AuditRow[]; hasNext: boolean; filter: AuditFilter; problems: FilterProblem[]; chrome: Chrome };

function Field({ name, label, value, problems, date }: { name: string; label: string; value?: string; problems: FilterProblem[]; date?: boolean }) {
  const problem = problems.find((p) => (p.field === 'username' ? 'user' : p.field) === name);
  return (
    <div class="field">
      <label for={`audit-${name}`}>{label}</label>
      <input id={`audit-${name}`} name={name} type="text" value={value ?? ''}
        inputmode={date ? 'numeric' : undefined} placeholder={date ? 'YYYY-MM-DD' : undefined} autocomplete="off"
        aria-invalid={problem ? 'true' : undefined} aria-describedby={problem ? `audit-${name}-error` : undefined} />
      {problem ? <span class="error" id={`audit-${name}-error`}>{problem.message}</span> : null}
    </div>
  );
}

/** The filter travels in POST bodies: a patient's ULI never goes into a URL. */
function FilterForm({ filter, problems }: { filter: AuditFilter; problems: FilterProblem[] }) {
  return (
    <form method="post" action="/settings/audit-log" id="audit-filter" class="filters">
      <Field name="user" label="User name" value={filter.username} problems={problems} />
      <Field name="uli" label="Patient ULI" value={filter.uli} problems={problems} />
      <div class="field">
        <label for="audit-action">Action</label>
        <select id="audit-action" name="action">
          <option value="">Any</option>
          {AUDIT_ACTIONS.map((a) => <option value={a} selected={filter.action === a}>{actionWords(a)}</option>)}
        </select>
        {problems.some((p) => p.field === 'action') ? <span class="error">Choose an action from the list.</span> : null}
      </div>
      {/* Text, not type=date: a date picker's format follows the browser's locale, and the
          label promises YYYY-MM-DD whatever that is. */}
      <Field name="from" label="From (YYYY-MM-DD)" value={filter.from} problems={problems} date />
      <Field name="to" label="To (YYYY-MM-DD)" value={filter.to} problems={problems} date />
      <button type="submit">Filter</button>
    </form>
  );
}

function Patients({ row }: { row: AuditRow }) {
  const count = row.patientCount ?? 0;
  const more = count - row.patients.length;
  return (
    <>
      {row.patients.map((p) => <div>{p.uli} {p.name}</div>)}
      {more > 0 ? <div class="more">{row.patients.length ? `and ${more} more` : `${more} patient${more === 1 ? '' : 's'}`}</div> : null}
    </>
  );
}

function PageButton({ filter, page, label }: { filter: AuditFilter; page: number; label: string }) {
  return (
    <form method="post" action="/settings/audit-log" class="inline">
      {(['username', 'uli', 'action', 'from', 'to'] as const).map((k) =>
        filter[k] ? <input type="hidden" name={k === 'username' ? 'user' : k} value={filter[k]} /> : null)}
      <input type="hidden" name="page" value={String(page)} />
      <button type="submit" class="link">{label}</button>
    </form>
  );
}

export function AuditPage({ rows, hasNext, filter, problems, chrome }: Props) {
  return (
    <Layout title="Audit log" chrome={chrome}>
      <h1>Audit log</h1>
      <p class="lead">Who viewed, changed, exported or sent what, and when. Entries cannot be changed or removed.</p>
      <p>
        <a href="/settings/audit-log/patient-access">Patient access report</a>: every access to one patient’s information,
        and each submission to Netcare that contained them, to print or download for a patient who asks.
      </p>
      <FilterForm filter={filter} problems={problems} />
      {/* On a phone the table scrolls sideways inside its own region, not the whole page. */}
      <div class="table-scroll" role="region" aria-label="Audit entries" tabindex={0}>
      <table id="audit">
        <thead>
          <tr>
            <th scope="col">When (Edmonton)</th><th scope="col">User</th><th scope="col">Permissions</th>
            <th scope="col">Action</th><th scope="col">Screen</th><th scope="col">Object</th>
            <th scope="col">Patients</th><th scope="col">Request</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr id={`audit-${r.id}`}>
              <td><time datetime={r.at.toISOString()}>{r.atEdmonton}</time></td>
              <td>{r.username ?? '—'}</td>
              <td>{permissionWords(r.permissions)}</td>
              <td data-action={r.action}>{entryWords(r)}</td>
              <td><code>{r.route}</code></td>
              <td><AuditObject row={r} /></td>
              <td><Patients row={r} /></td>
              <td><RequestId id={r.requestId} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
      {rows.length === 0 ? <p class="empty">No entry matches.</p> : null}
      <nav class="pager" aria-label="Pages">
        {filter.page > 1 ? <PageButton filter={filter} page={filter.page - 1} label="Newer" /> : null}
        <span> Page {filter.page} </span>
        {hasNext ? <PageButton filter={filter} page={filter.page + 1} label="Older" /> : null}
      </nav>
    </Layout>
  );
}
