import { STATUS_LABELS, type Addition, type Candidate, type MembersPanel } from '../domain/panels/panel-members.ts';
import { Layout, type Chrome } from './layout.tsx';
import { candidateSearchUrl, membersUrl } from './member-row.tsx';
import { ScrollTable } from './scroll-table.tsx';

export type CandidateSearch = { q: string; candidates: Candidate[]; more: boolean };
export type AddForm = { error?: string; selected?: ReadonlySet<number> };

const patients = (count: number) => (count === 1 ? '1 patient' : `${count} patients`);
const were = (count: number) => (count === 1 ? 'was' : 'were');

function additionText({ added, alreadyMembers, unknown }: Addition): string {
  return [`${patients(added)} added to this panel.`,
    alreadyMembers ? `${alreadyMembers} ${were(alreadyMembers)} already on it.` : '',
    unknown ? `${unknown} could not be found.` : ''].filter(Boolean).join(' ');
}

/**
 * Patients not on the panel that match the search, to tick and add: the swap target of the
 * search box and of the Add button.
 */
export function CandidatesRegion({ panelId, search, notice, form = {} }: {
  panelId: number; search: CandidateSearch; notice?: Addition; form?: AddForm;
}) {
  const { q, candidates, more } = search;
  return (
    <section id="candidates" aria-label="Patients not on this panel">
      {notice ? <p class="notice" role="status">{additionText(notice)}</p> : null}
      {form.error ? <p id="add-error" class="error" role="alert">{form.error}</p> : null}
      {q.trim() === '' ? <p class="meta">Type a name or a ULI to find patients who are not on this panel.</p>
        : candidates.length === 0 ? <p class="empty">No patient outside this panel matches that search.</p> : (
        <form id="add-members" method="post" action={membersUrl(panelId)}
          hx-post={membersUrl(panelId)} hx-target="#candidates" hx-swap="outerHTML">
          <input type="hidden" name="q" value={q} />
          <ScrollTable label="Patients found">
            <table id="candidates-table">
              <caption class="visually-hidden">Patients not on this panel matching the search</caption>
              <thead>
                <tr>
                  <th scope="col"><span class="visually-hidden">Select</span></th>
                  <th scope="col">Name</th><th scope="col">ULI</th><th scope="col">Date of birth</th><th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {candidates.map((p) => (
                  <tr id={`candidate-${p.patientId}`}>
                    <td><input type="checkbox" name="patient_id" value={String(p.patientId)} checked={form.selected?.has(p.patientId)}
                      aria-label={`Select ${p.lastName}, ${p.firstName}`} /></td>
                    <th scope="row">{p.lastName}, {p.firstName}</th>
                    <td>{p.uli}</td>
                    <td>{p.birthDate}</td>
                    <td>{STATUS_LABELS[p.status]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollTable>
          {more ? <p class="meta">More patients match: add a word to narrow the search.</p> : null}
          <button type="submit">Add selected to this panel</button>
        </form>
      )}
    </section>
  );
}

export function CandidatesPage({ panel, chrome, ...region }: {
  panel: MembersPanel; chrome: Chrome; search: CandidateSearch; notice?: Addition; form?: AddForm;
}) {
  const url = candidateSearchUrl(panel.id); // by POST: a ULI or name typed here never goes into a URL
  return (
    <Layout title="Add patients to a panel" chrome={chrome}>
      <p class="breadcrumb">Settings › CII/CPAR › <a href={membersUrl(panel.id)}>Members of {panel.name}</a></p>
      <h1 class="panel-title">Add patients to {panel.name}</h1>
      <p class="lead">Patients are added without a confirmation date: confirm each with the patient afterwards.</p>
      <form id="candidate-search" role="search" method="post" action={url}
        hx-post={url} hx-trigger="input changed delay:300ms, submit" hx-target="#candidates" hx-swap="outerHTML">
        <label for="candidate-q">Search by name or ULI</label>{' '}
        <input id="candidate-q" type="search" name="q" value={region.search.q} maxlength={100} autocomplete="off" />{' '}
        <button type="submit">Search</button>
      </form>
      <CandidatesRegion panelId={panel.id} {...region} />
      <p><a href={membersUrl(panel.id)}>Back to the members</a></p>
    </Layout>
  );
}
