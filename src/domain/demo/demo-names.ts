import type { Permission } from '../people/permissions.ts';

// Who and what the demo clinic is made of (seeded by demo-seed.ts). All names are plainly
// fictional; any likeness to a real person is the chance of combining common names.

export const DEMO_STAFF: { username: string; fullName: string; role: string; permissions: Permission[] }[] = [
  { username: 'admin', fullName: 'Dana Whitcombe', role: 'Administrator', permissions: ['cii_cpar_settings', 'manage_users', 'view_audit_log'] },
  { username: 'clerk', fullName: 'Jordan Pelletier', role: 'Clinic clerk', permissions: ['cii_cpar_settings'] },
  { username: 'drokafor', fullName: 'Dr. Amara Okafor', role: 'Physician, failure notification recipient', permissions: [] },
];

export const FEMALE_FIRST_NAMES = [
  'Abigail', 'Aisha', 'Alice', 'Amelia', 'Ana', 'Anika', 'Aria', 'Beatrice', 'Brooke', 'Camille',
  'Chloe', 'Clara', 'Daniela', 'Eden', 'Elena', 'Eliza', 'Emma', 'Esther', 'Fatima', 'Freya',
  'Gabrielle', 'Grace', 'Hana', 'Harper', 'Imani', 'Iris', 'Isla', 'Jasmine', 'Julia', 'Kaia',
  'Keira', 'Layla', 'Leah', 'Lina', 'Lucia', 'Maeve', 'Maya', 'Mila', 'Naomi', 'Nora',
  'Olivia', 'Paige', 'Priya', 'Quinn', 'Rosa', 'Ruby', 'Sakura', 'Sofia', 'Tessa', 'Zara',
];

export const MALE_FIRST_NAMES = [
  'Aarav', 'Adrian', 'Ahmed', 'Alexander', 'Andre', 'Arjun', 'Benjamin', 'Caleb', 'Carlos', 'Connor',
  'Daniel', 'David', 'Dominic', 'Elias', 'Ethan', 'Felix', 'Gabriel', 'Hamza', 'Henry', 'Hugo',
  'Isaac', 'Jacob', 'James', 'Jonah', 'Kai', 'Kenji', 'Liam', 'Logan', 'Lucas', 'Marcus',
  'Mateo', 'Miguel', 'Nathan', 'Noah', 'Omar', 'Owen', 'Patrick', 'Rohan', 'Samuel', 'Santiago',
  'Theo', 'Thomas', 'Tristan', 'Victor', 'Wesley', 'William', 'Xavier', 'Yusuf', 'Zachary', 'Zane',
];

export const LAST_NAMES = [
  'Abernathy', 'Adeyemi', 'Alvarez', 'Andersen', 'Bergstrom', 'Blackwood', 'Bouchard', 'Brennan',
  'Castellano', 'Chen', 'Cardinal', 'Dubois', 'Dhillon', 'Eriksen', 'Fairweather', 'Ferreira',
  'Fontaine', 'Gallagher', 'Gill', 'Grewal', 'Hargreaves', 'Hashemi', 'Holloway', 'Ibrahim',
  'Jablonski', 'Kaur', 'Kowalczyk', 'Lachance', 'Lindqvist', 'Makarov', 'Mbeki', 'McAllister',
  'Moreau', 'Nakamura', 'Nguyen', 'Novak', 'Ogundipe', "O'Rourke", 'Papadopoulos', 'Petrenko',
  'Quintero', 'Rasmussen', 'Redcrow', 'Rossi', 'Sandhu', 'Santos', 'Schneider', 'Sorensen',
  'Szabo', 'Tanaka', 'Thibodeau', 'Underhill', 'Vasquez', 'Villeneuve', 'Wojcik', 'Yamamoto',
  'Yellowhorn', 'Zielinski',
];

/** The demo clinic's practitioners; `null` Practitioner ID is the one the demo fails on. */
export const DEMO_PRACTITIONERS = [
  { name: 'Dr. Amara Okafor', practitionerId: '417203' },
  { name: 'Dr. Lucas Whitford', practitionerId: '402881' },
  { name: 'Dr. Mei-Lin Tran', practitionerId: '439016' },
  { name: 'Dr. Rafael Delgado', practitionerId: '425574' },
  { name: 'Dr. Nadia Farouk', practitionerId: null },
  { name: 'Dr. Ravi Chandran', practitionerId: '446120' },
  { name: 'Dr. Samuel Osei', practitionerId: '411957' },
  { name: 'Dr. Ingrid Halvorsen', practitionerId: '433368' },
  { name: 'Dr. Thomas Beaulieu', practitionerId: '450742' },
  { name: 'Dr. Fiona MacLeod', practitionerId: '398615' },
] as const;

/**
 * A panel name as it grows in real clinics: location, suite and services appended over the
 * years until it no longer fits CPAR's 255 characters.
 */
export const LONG_PANEL_NAME =
  'Dr. Rafael Delgado – Family Medicine Panel – Riverbend Family Health Centre, 2nd Floor, ' +
  'Suite 210, Terwillegar Towne – Chronic Disease Management, Prenatal and Well-Baby Care, ' +
  'Geriatric Assessment – shared with the Riverbend Satellite Clinic at the Terwillegar ' +
  'Community Recreation Centre';

export type Reason =
  | 'name_too_long' | 'practitioner_without_id' | 'no_patients' | 'no_last_visit'
  | 'no_confirmation_date' | 'netcare_unreachable' | 'netcare_unconfirmed';
/** How a panel's monthly run ended; null when it was not a CPAR panel (yet, or any more). */
export type Outcome = 'ok' | Reason | null;
export type PanelPlan = {
  name: string;
  number: string | null;
  cpar: boolean;
  active: boolean;
  /** indexes into DEMO_PRACTITIONERS */
  practitioners: number[];
  recipient: 'physician' | 'clerk' | null;
  /** patients whose home panel this is */
  size: number;
  /** the last six monthly runs, oldest first */
  history: Outcome[];
};

const ok = 'ok';
const never: Outcome[] = [null, null, null, null, null, null];

// Indexes into DEMO_PANELS, for the patients the panels share and the special submissions.
export const [OKAFOR, WHITFORD, TRAN, DELGADO, FAROUK, CHANDRAN, OSEI, HALVORSEN, BEAULIEU, WALK_IN, MACLEOD] =
  Array.from({ length: 11 }, (_, i) => i);

export const DEMO_PANELS: PanelPlan[] = [
  { name: 'Okafor Family Practice', number: 'PNL-20417', cpar: true, active: true, practitioners: [0],
    recipient: 'physician', size: 820, history: [ok, ok, 'netcare_unconfirmed', ok, ok, ok] },
  { name: 'Whitford Panel – Westmount Clinic', number: 'PNL-20388', cpar: true, active: true, practitioners: [1],
    recipient: 'clerk', size: 690, history: [ok, ok, ok, ok, ok, ok] },
  { name: 'Tran Family Medicine', number: 'PNL-20452', cpar: true, active: true, practitioners: [2],
    recipient: 'clerk', size: 560, history: [ok, ok, ok, ok, ok, 'netcare_unreachable'] },
  { name: LONG_PANEL_NAME, number: 'PNL-20466', cpar: true, active: true, practitioners: [3],
    recipient: 'physician', size: 240, history: [ok, ok, ok, ok, 'name_too_long', 'name_too_long'] },
  { name: 'Farouk Locum Panel', number: 'PNL-20531', cpar: true, active: true, practitioners: [4],
    recipient: 'clerk', size: 180, history: [null, null, null, ...Array<Outcome>(3).fill('practitioner_without_id')] },
  { name: 'Chandran Panel – Mill Woods', number: 'PNL-20549', cpar: true, active: true, practitioners: [5],
    recipient: null, size: 0, history: [null, null, null, null, 'no_patients', 'no_patients'] },
  { name: 'Osei Family Practice', number: 'PNL-20473', cpar: true, active: true, practitioners: [6],
    recipient: 'physician', size: 260, history: [ok, ok, ok, ok, ok, 'no_last_visit'] },
  { name: 'Halvorsen Panel', number: 'PNL-20495', cpar: true, active: true, practitioners: [7],
    recipient: 'physician', size: 230, history: [ok, ok, ok, ok, 'no_confirmation_date', 'no_confirmation_date'] },
  { name: 'Beaulieu Family Medicine', number: 'PNL-20560', cpar: true, active: true, practitioners: [8],
    recipient: 'physician', size: 150, history: never },
  { name: 'Walk-in and Urgent Care', number: null, cpar: false, active: true, practitioners: [5, 3],
    recipient: null, size: 0, history: never },
  { name: 'MacLeod Panel (retired)', number: 'PNL-20102', cpar: true, active: false, practitioners: [9],
    recipient: 'physician', size: 0, history: [ok, ok, ok, null, null, null] },
];
