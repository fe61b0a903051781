import { formatEdmontonDateTime } from '../time/edmonton.ts';

export type FailureFacts = {
  panelName: string;
  panelNumber: string;
  createdAt: Date;
  briefError: string;
  /** patients in the snapshot, when the panel was extracted */
  patientCount: number | null;
  /** patients with a patient-level problem to fix */
  patientsToFix: number;
  /**
   * Set when Netcare certainly did not get it and nothing in the panel is wrong: the retry
   * queued and when it goes, or (`at` null) the number of the last retry, which failed too.
   */
  automaticRetry: null | { number: number; of: number; at: Date | null };
};

const SUBJECT_NAME_LENGTH = 80;

/**
 * The inbox message a failure recipient gets: which panel, what failed, how many patients
 * are affected and where to fix it. Reasons and counts only — never a patient's name.
 */
export function failureMessage(facts: FailureFacts): { subject: string; body: string } {
  const chars = [...facts.panelName];
  const shortName = chars.length > SUBJECT_NAME_LENGTH ? `${chars.slice(0, SUBJECT_NAME_LENGTH).join('')}…` : facts.panelName;
  const lines = [
    `The CPAR submission of the panel "${shortName}" (${facts.panelNumber}) created ${formatEdmontonDateTime(facts.createdAt)} failed.`,
    '',
    `What failed: ${facts.briefError}`,
  ];
  if (facts.patientsToFix > 0) {
    lines.push(`Patients to fix: ${facts.patientsToFix}${facts.patientCount !== null ? ` of ${facts.patientCount} in the panel` : ''}.`);
  }
  if (facts.patientCount !== null) {
    // Plain words for what a failure costs the clinic: the registry keeps the last panel it got.
    lines.push(`What this means: Netcare has not confirmed this update of the panel (${facts.patientCount} patient${facts.patientCount === 1 ? '' : 's'}). `
      + 'Until it is resubmitted successfully, the registry keeps the panel as it was last submitted, so changes since then do not count yet.');
  }
  const retry = facts.automaticRetry;
  if (retry === null) {
    lines.push('', 'Correct the errors, then resubmit the panel. Below this message: a link to what failed, or the colleagues who can fix it.');
  } else if (retry.at) {
    lines.push('', 'Nothing in the panel needs fixing: Netcare did not receive it.',
      `It will be sent again automatically at the next send time, ${formatEdmontonDateTime(retry.at)} (automatic retry ${retry.number} of ${retry.of}); no one needs to act.`);
  } else {
    lines.push('', 'Nothing in the panel needs fixing: Netcare did not receive it.',
      `It was retried automatically ${retry.number} times and will not be retried again: someone must act. `
      + 'Check the connection to Netcare with your IT support, then resubmit the panel (below this message: a link to it, or the colleagues who can).');
  }
  return { subject: `CPAR submission failed: ${shortName}`, body: lines.join('\n') };
}
