import type { PanelListItem } from '../domain/panels/panels.ts';
import type { Judgement } from '../domain/panels/validation.ts';
import { Readiness } from './readiness.tsx';

export const panelsUrl = '/settings/cii-cpar/panels';
export const panelUrl = (id: number) => `${panelsUrl}/${id}`;
export const editPanelUrl = (id: number) => `${panelUrl(id)}/edit`;

/** A POST button that works without JavaScript and, with htmx, swaps the whole list. */
export function ListAction({ action, label, name, class: className }: { action: string; label: string; name: string; class?: string }) {
  return (
    <form method="post" action={action} hx-post={action} hx-target="#panel-list" hx-swap="outerHTML" class="inline">
      <button type="submit" class={className}>{label}<span class="visually-hidden"> {name}</span></button>
    </form>
  );
}

export function PanelLabel({ panel }: { panel: PanelListItem }) {
  return (
    <>
      {panel.cparEnabled ? <span class="badge badge-cpar">CPAR</span> : null}{' '}
      {panel.panelNumber ? <span class="panel-number">{panel.panelNumber}</span> : null}
    </>
  );
}

/**
 * One active panel. Delete is offered only to a panel never submitted (its submissions are
 * its history); behind a disclosure, so it takes two deliberate clicks, with or without JS.
 */
export function PanelRow({ panel, readiness }: { panel: PanelListItem; readiness?: Judgement }) {
  return (
    <tr id={`panel-${panel.id}`}>
      <th scope="row" class="panel">
        <a class="panel-name" href={panelUrl(panel.id)}>{panel.name}</a> <PanelLabel panel={panel} />
      </th>
      <td class="patients num">{panel.patientCount}</td>
      <td class="readiness-cell">
        {panel.cparEnabled && readiness ? <Readiness panelId={panel.id} validation={readiness} /> : null}
      </td>
      <td class="actions">
        <a href={editPanelUrl(panel.id)}>Edit<span class="visually-hidden"> {panel.name}</span></a>{' '}
        <ListAction action={`${panelUrl(panel.id)}/deactivation`} label="Deactivate" name={panel.name} class="secondary" />
        {panel.hasSubmissions ? null : (
          <details class="confirm">
            <summary>Delete<span class="visually-hidden"> {panel.name}</span>…</summary>
            <p>The panel and its patient assignments and confirmation dates are removed for good.</p>
            <ListAction action={`${panelUrl(panel.id)}/deletion`} label="Delete permanently" name={panel.name} class="danger" />
          </details>
        )}
      </td>
    </tr>
  );
}
