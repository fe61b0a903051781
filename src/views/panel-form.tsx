import type { PanelChoices, PanelErrors, PanelField, PanelInput } from '../domain/panels/panels.ts';
import { nameLength } from '../domain/panels/panels.ts';
import { MAX_PANEL_NAME_LENGTH } from '../domain/panels/validation.ts';
import { Layout, type Chrome } from './layout.tsx';
import { panelsUrl, panelUrl } from './panel-row.tsx';

export const nameLengthUrl = `${panelsUrl}/name-length`;
export const recipientNoteUrl = `${panelsUrl}/recipient-note`;

type Recipient = PanelChoices['recipients'][number];

/**
 * Physicians are typical recipients and often lack CII/CPAR settings: allowed, but the person
 * choosing should know that the recipient can read the message and not act on it.
 */
export function RecipientNote({ recipient }: { recipient: Recipient | undefined }) {
  if (!recipient || recipient.canFix) return <p id="recipient-note" class="hint" hidden></p>;
  return (
    <p id="recipient-note" class="warning">
      {recipient.fullName} does not have the CII/CPAR settings permission: they will get failure messages in
      their inbox but cannot open the Submissions page to fix and resubmit the panel: a user with that
      permission will have to.
    </p>
  );
}

/**
 * The live check of CPAR's 255-character rule, in characters as people count them. A longer
 * name can still be saved (the rule fails the submission, not the save), so it is a warning.
 */
export function NameLengthWarning({ name }: { name: string }) {
  const length = nameLength(name);
  if (length <= MAX_PANEL_NAME_LENGTH) {
    return <p id="name-length-warning" class="hint">{length} of {MAX_PANEL_NAME_LENGTH} characters</p>;
  }
  return (
    <p id="name-length-warning" class="warning">
      The name is {length} characters long. CPAR accepts at most {MAX_PANEL_NAME_LENGTH}: you can save it,
      but this panel’s submissions will fail until the name is shortened.
    </p>
  );
}

function FieldError({ field, errors }: { field: PanelField; errors: PanelErrors }) {
  return errors[field] ? <p class="error field-error" id={`${field}-error`}>{errors[field]}</p> : null;
}

/** aria attributes tying a field to its error message, when it has one. */
function invalid(field: PanelField, errors: PanelErrors, describedBy?: string) {
  const ids = [errors[field] ? `${field}-error` : null, describedBy].filter(Boolean).join(' ');
  return { 'aria-invalid': errors[field] ? 'true' : undefined, 'aria-describedby': ids || undefined };
}

/** Names longer than a line field shows are edited in a box that shows all of them. */
const LONG_NAME = 60;

function NameField({ name, errors }: { name: string; errors: PanelErrors }) {
  const attributes = {
    id: 'panel-name', name: 'name', required: true, autocomplete: 'off', ...invalid('name', errors, 'name-length-warning'),
    'hx-get': nameLengthUrl, 'hx-trigger': 'input changed delay:300ms', 'hx-target': '#name-length-warning', 'hx-swap': 'outerHTML',
  };
  const length = nameLength(name);
  return length > LONG_NAME
    ? <textarea {...attributes} rows={Math.min(5, Math.ceil(length / LONG_NAME))}>{name}</textarea>
    : <input {...attributes} value={name} />;
}

export type PanelFormProps = { panelId: number | null; values: PanelInput; errors: PanelErrors; choices: PanelChoices };

/** The add/edit form; its own swap target, so a 422 re-renders it in place with every value. */
export function PanelForm({ panelId, values, errors, choices }: PanelFormProps) {
  const action = panelId === null ? panelsUrl : panelUrl(panelId);
  const count = Object.keys(errors).length;
  return (
    <form id="panel-form" method="post" action={action} hx-post={action} hx-target="#panel-form" hx-swap="outerHTML" class="stack">
      {count ? (
        <p class="error" role="alert" id="form-errors">
          {count === 1 ? 'One thing needs correcting' : `${count} things need correcting`} before the panel can be saved.
        </p>
      ) : null}
      <label for="panel-name">Name</label>
      <NameField name={values.name} errors={errors} />
      <FieldError field="name" errors={errors} />
      <div aria-live="polite"><NameLengthWarning name={values.name} /></div>

      <fieldset id="panel-practitioners" {...invalid('practitionerIds', errors)}>
        <legend>Practitioners</legend>
        <FieldError field="practitionerIds" errors={errors} />
        {choices.practitioners.map((p) => (
          <label class="choice">
            <input type="checkbox" name="practitionerIds" value={String(p.id)} checked={values.practitionerIds.includes(p.id)} />{' '}
            {p.name}
            {p.hasPractitionerId ? null : <> <span class="badge badge-no-prac-id">No Practitioner ID</span></>}
          </label>
        ))}
        {choices.practitioners.length === 0 ? <p class="empty">There are no practitioners yet.</p> : null}
      </fieldset>

      <label for="panel-number">CPAR panel number <span class="meta">(optional; the number CPAR issued)</span></label>
      <input id="panel-number" name="panelNumber" value={values.panelNumber} autocomplete="off" {...invalid('panelNumber', errors)} />
      <FieldError field="panelNumber" errors={errors} />

      <label class="choice" for="panel-cpar">
        <input type="checkbox" id="panel-cpar" name="cparEnabled" value="on" checked={values.cparEnabled} {...invalid('cparEnabled', errors)} />{' '}
        CPAR-enabled: send this panel to Alberta Netcare every month
      </label>
      <p class="meta">Turn it off to stop sending a panel that stays active, e.g. for a retiring provider.</p>
      <FieldError field="cparEnabled" errors={errors} />

      <label for="panel-recipient">Failure notification recipient</label>
      <select id="panel-recipient" name="failureRecipientId" {...invalid('failureRecipientId', errors, 'recipient-note')}
        hx-get={recipientNoteUrl} hx-trigger="change" hx-target="#recipient-note" hx-swap="outerHTML">
        <option value="" selected={values.failureRecipientId === null}>No one</option>
        {choices.recipients.map((u) => (
          <option value={String(u.id)} selected={values.failureRecipientId === u.id}>
            {u.fullName}{u.disabled ? ' (account disabled)' : ''}
          </option>
        ))}
      </select>
      <FieldError field="failureRecipientId" errors={errors} />
      <div aria-live="polite"><RecipientNote recipient={choices.recipients.find((u) => u.id === values.failureRecipientId)} /></div>

      <p>
        <button type="submit">{panelId === null ? 'Add panel' : 'Save panel'}</button>{' '}
        <a href={panelsUrl}>Cancel</a>
      </p>
    </form>
  );
}

export function PanelFormPage({ chrome, ...form }: PanelFormProps & { chrome: Chrome }) {
  const title = form.panelId === null ? 'Add panel' : 'Edit panel';
  return (
    <Layout title={title} chrome={chrome}>
      <p class="breadcrumb">Settings › CII/CPAR › <a href={panelsUrl}>Panels</a></p>
      <h1>{title}</h1>
      <PanelForm {...form} />
    </Layout>
  );
}
