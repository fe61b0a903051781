// A synthetic clinic as the JSON extract: `patients` patients on panels of 1,000, each with a
// confirmation date and a visit — the clinic-sized file the importing thread and the bench's
// "page p99 during an import" apply. `prefix` (1–99) keeps keys, ULIs and panel numbers apart,
// so several such clinics go into one database; the ULIs start with 0, which the bench's
// generated ones never do.
export function clinicExtract(patients: number, prefix = 1): string {
  const practitioners = Array.from({ length: Math.ceil(patients / 1000) }, (_, i) => ({
    key: `x${prefix}-dr-${i}`, name: `Dr. Synthetic ${prefix}-${i}`, practitionerId: String(500000 + prefix * 1000 + i),
  }));
  const day = (i: number, year: number) => `${year}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
  const people = Array.from({ length: patients }, (_, i) => ({
    key: `x${prefix}-p-${i}`, uli: String(prefix * 100_000 + i).padStart(9, '0'), lastName: `Family${i % 997}`, firstName: `Given${i % 89}`,
    birthDate: day(i, 1940 + (i % 80)), gender: i % 2 ? 'F' : 'M', status: 'active',
  }));
  const visits = people.map((p, i) => ({ patient: p.key, practitioner: practitioners[Math.floor(i / 1000)].key, date: day(i, 2026).replace(/^2026-1[12]/, '2026-10') }));
  const panels = practitioners.map((dr, n) => ({
    key: `x${prefix}-panel-${n}`, name: `Synthetic panel ${prefix}-${n}`, practitioners: [dr.key], panelNumber: `PNL-${prefix}${String(n).padStart(4, '0')}`,
    cparEnabled: true, failureRecipient: null,
    members: people.slice(n * 1000, (n + 1) * 1000).map((p, i) => ({ patient: p.key, confirmedOn: day(i, 2025) })),
  }));
  return JSON.stringify({ practitioners, patients: people, visits, panels });
}
