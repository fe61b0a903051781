import type { PanelListItem } from '../domain/panels/panels.ts';
import type { Judgement } from '../domain/panels/validation.ts';
import { Layout, type Chrome } from './layout.tsx';
import { ListAction, PanelLabel, PanelRow, panelUrl, panelsUrl } from './panel-row.tsx';
import { ScrollTable } from './scroll-table.tsx';

export type ListMessage = { kind: 'notice' | 'error'; text: string };

export type PanelListProps = {
  active: PanelListItem[];
  inactive: PanelListItem[];
  readiness: Map<number, Judgement>;
  message?: ListMessage;
};

function InactivePanels({ panels }: { panels: PanelListItem[] }) {
  if (panels.length === 0) return null;
  return (
    <section id="inactive-panels" aria-labelledby="inactive-heading">
      <h2 id="inactive-heading">Inactive panels</h2>
      <p class="meta">Not on the Submissions page and not sent. Their patients and history are kept.</p>
      <ul>
        {panels.map((p) => (
          <li id={`inactive-panel-${p.id}`}>
            {p.name} <PanelLabel panel={p} />{' '}
            <ListAction action={`${panelUrl(p.id)}/activation`} label="Reactivate" name={p.name} class="secondary" />
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The list and its inactive panels: the swap target of Deactivate, Delete and Reactivate. */
export function PanelList({ active, inactive, readiness, message }: PanelListProps) {
  return (
    <div id="panel-list">
      {message?.kind === 'error' ? <p class="error" role="alert">{message.text}</p> : null}
      {message?.kind === 'notice' ? <p class="notice" role="status">{message.text}</p> : null}
      <ScrollTable label="Panels">
        <table id="panels">
          <caption class="visually-hidden">Active panels</caption>
          <thead>
            <tr>
              <th scope="col">Panel</th>
              <th scope="col" class="num">Patients</th>
              <th scope="col">Ready to send now?</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {active.map((panel) => <PanelRow panel={panel} readiness={readiness.get(panel.id)} />)}
          </tbody>
        </table>
      </ScrollTable>
      {active.length === 0 ? <p class="empty">There are no active panels yet.</p> : null}
      <InactivePanels panels={inactive} />
    </div>
  );
}

export function PanelsPage({ chrome, ...list }: PanelListProps & { chrome: Chrome }) {
  return (
    <Layout title="Panels" chrome={chrome}>
      <p class="breadcrumb">Settings › CII/CPAR</p>
      <h1>Panels</h1>
      <p class="lead">
        A panel is the set of patients attached to a primary provider. A panel with a CPAR panel
        number and CPAR turned on is sent to Alberta Netcare every month; the patient count is
        the active patients a submission would carry.
      </p>
      <p><a href={`${panelsUrl}/new`} class="button" id="add-panel">Add panel</a></p>
      <PanelList {...list} />
    </Layout>
  );
}
