import type { ClinicSettings, SettingsProblem } from '../domain/panels/readiness-warnings.ts';
import { SETTING_YEARS } from '../domain/panels/readiness-warnings.ts';
import { Layout, type Chrome } from './layout.tsx';

export const clinicSettingsUrl = '/settings/cii-cpar/settings';

export type ClinicSettingsProps = {
  /** as entered: a refused value is shown again, never lost */
  values: Record<keyof ClinicSettings, string>;
  problems?: SettingsProblem[];
  saved?: boolean;
};

function YearsField({ field, label, hint, values, problems }: ClinicSettingsProps & { field: keyof ClinicSettings; label: string; hint: string }) {
  const problem = problems?.find((p) => p.field === field);
  const id = `setting-${field}`;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input id={id} name={field} value={values[field]} inputmode="numeric" class="years" required
        aria-invalid={problem ? 'true' : undefined} aria-describedby={problem ? `${id}-error ${id}-hint` : `${id}-hint`} />
      {problem ? <p class="error field-error" id={`${id}-error`} role="alert">{problem.message}</p> : null}
      <p class="meta" id={`${id}-hint`}>{hint}</p>
    </div>
  );
}

/** The clinic's limits for readiness's warnings; saving them is audited. */
export function ClinicSettingsPage({ chrome, ...props }: ClinicSettingsProps & { chrome: Chrome }) {
  return (
    <Layout title="CII/CPAR settings" chrome={chrome}>
      <p class="breadcrumb">Settings › CII/CPAR</p>
      <h1>Readiness warnings</h1>
      <p>
        Beside the CPAR rules, readiness warns about patients the registry may no longer count as attached. Warnings
        never stop a submission; they link to the patients to check. Years are whole numbers from {SETTING_YEARS.min} to {SETTING_YEARS.max}.
      </p>
      {props.saved ? <p class="notice" role="status" id="settings-saved">Saved. Readiness uses the new limits now.</p> : null}
      <form method="post" action={clinicSettingsUrl} class="stack" id="clinic-settings">
        <YearsField {...props} field="staleVisitYears" label="Warn when the last visit is older than (years)"
          hint="The AMA's panel guidance suggests reviewing patients not seen for three years." />
        <YearsField {...props} field="staleConfirmationYears" label="Warn when the confirmation is older than (years)"
          hint="A confirmation is the patient's word that this provider is their primary provider; ask again after this long." />
        <p><button type="submit">Save</button></p>
      </form>
    </Layout>
  );
}
