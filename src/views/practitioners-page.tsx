import type { PanelRef, PractitionerItem } from '../domain/panels/practitioners.ts';
import { isWellFormed } from '../domain/panels/practitioners.ts';
import { Layout, type Chrome } from './layout.tsx';
import { ScrollTable } from './scroll-table.tsx';

export const practitionersUrl = '/settings/practitioners';
export const editPractitionerUrl = (id: number) => `${practitionersUrl}/${id}/edit`;

/** The ID, or a visible flag: a blank ID fails every CPAR panel the practitioner is on. */
export function PractitionerIdCell({ practitionerId }: { practitionerId: string | null }) {
  if (practitionerId === null || practitionerId.trim() === '') {
    return <span class="badge badge-no-prac-id">No Practitioner ID</span>;
  }
  return (
    <>
      <span class="prac-id">{practitionerId}</span>
      {isWellFormed(practitionerId) ? null : <> <span class="badge badge-check-prac-id">Check the format</span></>}
    </>
  );
}

export function PanelNames({ panels }: { panels: PanelRef[] }) {
  if (panels.length === 0) return <span class="meta">No panel</span>;
  return (
    <ul class="panel-names">
      {panels.map((p) => (
        <li>
          {p.name}
          {p.cparEnabled && p.active ? <> <span class="badge badge-cpar">CPAR</span></> : null}
          {p.active ? null : <span class="meta"> (inactive)</span>}
        </li>
      ))}
    </ul>
  );
}

function PractitionerRow({ practitioner: p }: { practitioner: PractitionerItem }) {
  return (
    <tr id={`practitioner-${p.id}`}>
      <th scope="row">{p.name}</th>
      <td class="prac-id-cell"><PractitionerIdCell practitionerId={p.practitionerId} /></td>
      <td class="panels-cell"><PanelNames panels={p.panels} /></td>
      <td class="actions">
        <a href={editPractitionerUrl(p.id)}>Edit Practitioner ID<span class="visually-hidden"> of {p.name}</span></a>
      </td>
    </tr>
  );
}

export function PractitionersPage({ practitioners, chrome }: { practitioners: PractitionerItem[]; chrome: Chrome }) {
  const missing = practitioners.filter((p) => !p.practitionerId?.trim()).length;
  return (
    <Layout title="Practitioners" chrome={chrome}>
      <p class="breadcrumb">Settings</p>
      <h1>Practitioners</h1>
      <p class="lead">
        CPAR identifies each provider by their Alberta Practitioner ID. A CPAR panel with a
        practitioner who has none fails its submission.
      </p>
      {missing ? (
        <p class="warning" id="missing-summary">
          {missing === 1 ? '1 practitioner has' : `${missing} practitioners have`} no Practitioner ID.
        </p>
      ) : null}
      <ScrollTable label="Practitioners">
        <table id="practitioners">
          <caption class="visually-hidden">Practitioners and their panels</caption>
          <thead>
            <tr>
              <th scope="col">Practitioner</th>
              <th scope="col">Practitioner ID</th>
              <th scope="col">Panels</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {practitioners.map((p) => <PractitionerRow practitioner={p} />)}
          </tbody>
        </table>
      </ScrollTable>
      {practitioners.length === 0 ? <p class="empty">There are no practitioners yet.</p> : null}
    </Layout>
  );
}
