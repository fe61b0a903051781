// The panels of a synthetic dataset, planned in JS (a few thousand rows at most); everything
// per patient is generated in SQL from these ranges, so no array of millions exists in JS.
import { FEMALE_FIRST_NAMES, LAST_NAMES, MALE_FIRST_NAMES } from '../../src/domain/demo/demo-names.ts';
import type { Scale } from './scales.ts';
import { seededRandom } from '../../src/domain/demo/seeded-random.ts';

export type PanelPlan = {
  id: number;
  /** first membership slot (0-based); the panel holds slots start … start + size − 1 */
  start: number;
  size: number;
  /** ~20% of panels carry the patient-level problems: 14% unconfirmed, 10% never seen */
  messy: 0 | 1;
  /** the panel's practitioner has no Practitioner ID (~0.5% of panels) */
  noPracId: 0 | 1;
  name: string;
  practitioner: string;
  clinic: number;
};

const TOWNS = ['Edmonton', 'Calgary', 'Red Deer', 'Lethbridge', 'St. Albert', 'Medicine Hat', 'Grande Prairie',
  'Airdrie', 'Spruce Grove', 'Leduc', 'Fort McMurray', 'Camrose', 'Cochrane', 'Okotoks', 'Lloydminster',
  'Brooks', 'Canmore', 'Wetaskiwin', 'Sylvan Lake', 'Hinton', 'High River', 'Strathmore', 'Whitecourt', 'Olds'];
const LONG_TAIL = ' – Family Medicine, Chronic Disease Management, Prenatal and Well-Baby Care, Geriatric '
  + 'Assessment, Mental Health and Addictions Shared Care – satellite site at the Community Health Centre, '
  + '2nd Floor, Suite 210 – after-hours coverage shared with the Primary Care Network on-call group';

/** The same scale always gets the same panels. */
export const seeded = seededRandom;

/**
 * Panel sizes from a log-normal spread (median `medianSize`, a long tail toward the 3,000–5,000
 * panels) clamped to the scale's bounds and scaled so that they add up to `memberships`.
 * A few panels (one in ~1,000) are new and still empty: the "no patients" rule.
 */
export function planPanels(scale: Scale): PanelPlan[] {
  const rng = seeded(20_250_415 + scale.panels);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const empty = (i: number) => scale.panels > 100 && i % 997 === 400;
  const raw = Array.from({ length: scale.panels }, (_, i) => (empty(i) ? 0 : scale.medianSize * Math.exp(0.75 * normal())));
  let sizes = raw;
  for (let round = 0; round < 20; round++) {
    const total = sizes.reduce((a, b) => a + b, 0);
    const factor = scale.memberships / total;
    sizes = sizes.map((s, i) => (empty(i) ? 0 : Math.min(scale.maxSize, Math.max(scale.minSize, s * factor))));
  }
  const whole = sizes.map((s) => Math.round(s));
  let start = 0;
  return whole.map((size, i) => {
    const first = (i % 2 ? FEMALE_FIRST_NAMES : MALE_FIRST_NAMES)[Math.floor(rng() * 50)];
    const last = LAST_NAMES[Math.floor(rng() * LAST_NAMES.length)];
    const town = TOWNS[Math.floor(rng() * TOWNS.length)];
    const practitioner = `Dr. ${first} ${last}`;
    const base = `${practitioner} — ${town} Family Clinic ${String(i + 1).padStart(4, '0')}`;
    const plan: PanelPlan = {
      id: i + 1,
      start,
      size,
      messy: rng() < 0.2 ? 1 : 0,
      noPracId: i % 211 === 5 ? 1 : 0,
      // one in ~500 names has grown past CPAR's 255 characters
      name: i % 541 === 7 ? base + LONG_TAIL : base,
      practitioner,
      clinic: 1 + (i % scale.clinics),
    };
    start += size;
    return plan;
  });
}

export function summarizePlan(plans: PanelPlan[]) {
  const sizes = plans.map((p) => p.size).sort((a, b) => a - b);
  const at = (q: number) => sizes[Math.min(sizes.length - 1, Math.floor(q * sizes.length))];
  return {
    panels: plans.length,
    memberships: sizes.reduce((a, b) => a + b, 0),
    sizes: { min: sizes[0], p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sizes[sizes.length - 1] },
    messyPanels: plans.filter((p) => p.messy).length,
    panelsWithoutPracId: plans.filter((p) => p.noPracId).length,
    longNames: plans.filter((p) => [...p.name].length > 255).length,
    emptyPanels: plans.filter((p) => p.size === 0).length,
  };
}
