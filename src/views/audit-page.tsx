import type { AuditFilter, AuditRow, FilterProblem } from '../domain/audit-query.ts';
import { AUDIT_ACTIONS } from '../domain/audit-query.ts';
import { Layout, type Chrome } from './layout.tsx';

type Props = { rows: AuditRow[]; hasNext: boolean; filter: AuditFilter; problems: FilterProblem[]; chrome: Chrome };

function Field({ name, label, value, problems, type = 'text' }: { name: string; label: string; value?: string; problems: FilterProblem[]; type?: string }) {
  const problem = problems.find((p) => (p.field === 'username' ? 'user' : p.field) === name);
  return (
    <div class="field">
      <label for={`audit-${name}`}>{label}</label>
      <input id={`audit-${name}`} name={name} type={type} value={value ?? ''}
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
          {AUDIT_ACTIONS.map((a) => <option value={a} selected={filter.action === a}>{a}</option>)}
        </select>
        {problems.some((p) => p.field === 'action') ? <span class="error">Choose an action from the list.</span> : null}
      </div>
      <Field name="from" label="From (YYYY-MM-DD)" value={filter.from} problems={problems} type="date" />
      <Field name="to" label="To (YYYY-MM-DD)" value={filter.to} problems={problems} type="date" />
      <button type="submit">Filter</button>
    </form>
  );
}

function Patients({ row }: { row: AuditRow }) {
  if (row.patients?.length) return <>{row.patients.map((p) => <div>{p.uli} {p.name}</div>)}</>;
  return <>{row.patientCount !== null ? `${row.patientCount} patient${row.patientCount === 1 ? '' : 's'}` : ''}</>;
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
      <FilterForm filter={filter} problems={problems} />
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
              <td>{r.permissions}</td>
              <td>{r.action}</td>
              <td><code>{r.route}</code></td>
              <td>{r.objectType ? `${r.objectType} ${r.objectId ?? ''}` : ''}</td>
              <td><Patients row={r} /></td>
              <td><code>{r.requestId?.slice(0, 8) ?? ''}</code></td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 ? <p class="empty">No entry matches.</p> : null}
      <nav class="pager" aria-label="Pages">
        {filter.page > 1 ? <PageButton filter={filter} page={filter.page - 1} label="Newer" /> : null}
        <span> Page {filter.page} </span>
        {hasNext ? <PageButton filter={filter} page={filter.page + 1} label="Older" /> : null}
      </nav>
    </Layout>
  );
}
