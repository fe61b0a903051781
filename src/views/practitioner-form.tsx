import type { PractitionerItem } from '../domain/panels/practitioners.ts';
import { Layout, type Chrome } from './layout.tsx';
import { PanelNames, practitionersUrl } from './practitioners-page.tsx';

export type PractitionerFormProps = { practitioner: PractitionerItem; value: string; error?: string };

/** The Practitioner ID form; its own swap target, so a 422 re-renders it in place with the value. */
export function PractitionerForm({ practitioner: p, value, error }: PractitionerFormProps) {
  const action = `${practitionersUrl}/${p.id}`;
  const cparPanels = p.panels.filter((panel) => panel.active && panel.cparEnabled);
  return (
    <form id="practitioner-form" method="post" action={action} hx-post={action} hx-target="#practitioner-form" hx-swap="outerHTML" class="stack">
      <label for="practitioner-id">Practitioner ID</label>
      <input id="practitioner-id" name="practitionerId" value={value} inputmode="numeric" autocomplete="off"
        aria-invalid={error ? 'true' : undefined} aria-describedby={error ? 'practitioner-id-error practitioner-id-hint' : 'practitioner-id-hint'} />
      {error ? <p class="error field-error" id="practitioner-id-error" role="alert">{error}</p> : null}
      <p class="meta" id="practitioner-id-hint">
        The Alberta Practitioner ID: 5 to 9 digits. It may be left blank until it is known, but
        {cparPanels.length
          ? ` while it is blank every CPAR panel with ${p.name} fails its submission: ${cparPanels.map((x) => `“${x.name}”`).join(', ')}.`
          : ` while it is blank any CPAR panel with ${p.name} fails its submission.`}
      </p>
      <p>Panels: </p>
      <PanelNames panels={p.panels} />
      <p>
        <button type="submit">Save Practitioner ID</button> <a href={practitionersUrl}>Cancel</a>
      </p>
    </form>
  );
}

export function PractitionerFormPage({ chrome, ...form }: PractitionerFormProps & { chrome: Chrome }) {
  return (
    <Layout title={`Practitioner ID of ${form.practitioner.name}`} chrome={chrome}>
      <p class="breadcrumb">Settings › <a href={practitionersUrl}>Practitioners</a></p>
      <h1>{form.practitioner.name}</h1>
      <PractitionerForm {...form} />
    </Layout>
  );
}
