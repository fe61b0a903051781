// What a panel looks like at the instant of a run: the input of validation and of the
// Netcare payload. Dates are Edmonton calendar dates 'YYYY-MM-DD'.
export type SnapshotPractitioner = {
  name: string;
  /** the Alberta Practitioner ID (PRAC ID); null when none is recorded */
  practitionerId: string | null;
};

export type SnapshotPatient = {
  patientId: number;
  uli: string;
  lastName: string;
  firstName: string;
  birthDate: string;
  gender: 'F' | 'M' | 'X' | 'U';
  /** latest visit with any practitioner of the clinic, not after the run */
  lastVisitOn: string | null;
  /** the date the patient confirmed this panel's provider; null when never */
  confirmedOn: string | null;
};

export type PanelSnapshot = {
  panelId: number;
  panelName: string;
  panelNumber: string;
  practitioners: SnapshotPractitioner[];
  patients: SnapshotPatient[];
  takenAt: Date;
};
