// The demo clinic's registry feedback: the outcome the simulator would have answered for its
// recent Submitted submissions — derived by the simulator's own registry (same seed and
// shares as an embedded simulator left at its defaults) and read through the adapter's reader,
// so the demo shows exactly what a real confirmation would store.
import type { InStatement } from '@libsql/client';
import { fhirGender } from '../../netcare/payload.ts';
import { buildRegistryOutcome, readRegistryOutcome } from '../../netcare/registry-outcome.ts';
import { DEFAULT_REGISTRY, judgePanel, type FhirGenderCode, type SubmittedMember } from '../../netcare-sim/registry.ts';
import { bulk } from './demo-seed-tools.ts';
import { edmontonDate } from '../time/edmonton.ts';
import { detailOf } from '../registry/registry-store.ts';

export type DemoMember = {
  uli: string; last: string; first: string; birth: string; gender: string; confirmedOn: string | null;
};
export type DemoSubmission = { id: number; panelId: number; createdAt: number; count: number };

/**
 * registry_counted and the exceptions of these Submitted submissions (oldest first), each
 * judged on the panel's members already born and confirmed when it was sent; an exception reported by
 * the panel's previous one too is open since that one's start.
 */
export function demoRegistryStatements(subs: DemoSubmission[], membersOf: (panelId: number) => DemoMember[]): InStatement[] {
  const counted: [number, number][] = [];
  const rows: unknown[][] = [];
  const previous = new Map<number, Map<string, number>>();
  for (const sub of subs) {
    const day = edmontonDate(new Date(sub.createdAt));
    const sent = membersOf(sub.panelId).filter((m) => m.confirmedOn !== null && m.confirmedOn <= day && m.birth <= day);
    const members: SubmittedMember[] = sent.map((m) => ({
      uli: m.uli, family: m.last, given: m.first, birthDate: m.birth,
      gender: fhirGender(m.gender) as FhirGenderCode, confirmedOn: m.confirmedOn!,
    }));
    const judged = judgePanel(DEFAULT_REGISTRY, { count: members.length, day, uliNumber: (i) => Number(members[i].uli), member: (i) => members[i] });
    const read = readRegistryOutcome(JSON.parse(JSON.stringify(buildRegistryOutcome(judged.counted, members.length, judged.findings))));
    if (!read.ok) throw new Error(`the demo's registry outcome does not read: ${read.problem}`);
    const mismatched = sub.count - read.outcome.exceptions.filter((e) => e.kind === 'mismatch').length;
    counted.push([sub.id, Math.max(0, mismatched)]);
    const before = previous.get(sub.panelId) ?? new Map<string, number>();
    const now = new Map<string, number>();
    for (const e of read.outcome.exceptions) {
      const detail = detailOf(e);
      const key = `${e.uli}:${e.kind}:${e.kind === 'conflict' ? e.provider : ''}`;
      const openSince = before.get(key) ?? sub.id;
      now.set(key, openSince);
      rows.push([sub.id, sub.panelId, e.uli, e.kind, JSON.stringify(detail), openSince]);
    }
    previous.set(sub.panelId, now);
  }
  return [
    {
      sql: `UPDATE submissions SET registry_counted = (SELECT value ->> 1 FROM json_each(?1) WHERE value ->> 0 = submissions.id)
             WHERE id IN (SELECT value ->> 0 FROM json_each(?1))`,
      args: [JSON.stringify(counted)],
    },
    bulk('registry_exceptions', ['submission_id', 'panel_id', 'uli', 'kind', 'detail', 'open_since_submission_id'], rows),
  ];
}
