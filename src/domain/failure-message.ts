import { formatEdmontonDateTime } from './edmonton.ts';

export type FailureFacts = {
  panelName: string;
  panelNumber: string;
  createdAt: Date;
  briefError: string;
  /** patients in the snapshot, when the panel was extracted */
  patientCount: number | null;
  /** patients with a patient-level problem to fix */
  patientsToFix: number;
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
    lines.push(`The panel's ${facts.patientCount} patient${facts.patientCount === 1 ? ' is' : 's are'} not registered with CPAR by this submission.`);
  }
  lines.push('', 'Correct the errors, then resubmit the panel from Settings › CII/CPAR › Submissions.');
  return { subject: `CPAR submission failed: ${shortName}`, body: lines.join('\n') };
}
