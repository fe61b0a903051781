import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PanelSnapshot, SnapshotPatient } from '../../../src/domain/submissions/snapshot.ts';
import { startSimulator, type SimulatorServerOptions } from '../../../src/netcare-sim/embed.ts';
import type { Fault } from '../../../src/netcare-sim/fault.ts';

/** A simulator over real HTTP on a free loopback port, with its own fresh database file. */
export function startTestSimulator(options: Omit<SimulatorServerOptions, 'databaseUrl'> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'netcare-sim-test-'));
  return startSimulator({ databaseUrl: `file:${join(dir, 'sim.db')}`, port: 0, ...options });
}

export const PATIENTS: SnapshotPatient[] = [
  { patientId: 11, uli: '123456782', lastName: 'Okafor', firstName: 'Adaeze', birthDate: '1984-02-29', gender: 'F', lastVisitOn: '2026-10-02', confirmedOn: '2025-03-14' },
  { patientId: 12, uli: '987654321', lastName: 'Lindqvist', firstName: 'Mats', birthDate: '1951-12-01', gender: 'M', lastVisitOn: '2026-11-15', confirmedOn: '2024-06-30' },
  { patientId: 13, uli: '555000111', lastName: 'Cardinal', firstName: 'River', birthDate: '2003-07-19', gender: 'X', lastVisitOn: '2026-01-20', confirmedOn: '2026-01-20' },
  { patientId: 14, uli: '444333222', lastName: 'Nguyen', firstName: 'Thi', birthDate: '1990-05-05', gender: 'U', lastVisitOn: '2025-12-24', confirmedOn: '2025-12-24' },
];

/** Taken at the 15 November run: 21:00 in Edmonton, already the 16th in UTC. */
export function panelSnapshot(overrides: Partial<PanelSnapshot> = {}): PanelSnapshot {
  return {
    panelId: 7,
    panelName: 'Dr. Moreau family practice',
    panelNumber: 'CPAR-000417',
    practitioners: [{ name: 'Dr. Elise Moreau', practitionerId: '0412345' }],
    patients: PATIENTS.map((p) => ({ ...p })),
    takenAt: new Date('2026-11-16T04:00:00Z'),
    ...overrides,
  };
}

/** Every value of a patient that must never appear in an error or a log. */
export function healthInformation(patients: SnapshotPatient[] = PATIENTS): string[] {
  return patients.flatMap((p) => [p.uli, p.lastName, p.firstName, p.birthDate]);
}

export async function setFault(url: string, fault: Fault): Promise<void> {
  const response = await fetch(`${url}/_sim/fault`, { method: 'PUT', body: JSON.stringify(fault) });
  if (response.status !== 200) throw new Error(`setting the fault failed: ${response.status}`);
}

export type SimSubmission = {
  idempotencyKey: string; reference: string; panelNumber: string; patientCount: number;
  status: string; reason?: string; receivedCount: number;
  /** the registry's OperationOutcome, once confirmed */
  outcome?: { extension: { valueInteger: number }[]; issue: { severity: string }[] };
};

export async function simSubmissions(url: string): Promise<SimSubmission[]> {
  return ((await (await fetch(`${url}/_sim/submissions`)).json()) as { submissions: SimSubmission[] }).submissions;
}

export async function simRequests(url: string): Promise<{ method: string; path: string; idempotencyKey: string | null; fault: string }[]> {
  return ((await (await fetch(`${url}/_sim/requests`)).json()) as { requests: [] }).requests;
}

/** Runs `work` and returns its result with the milliseconds it took. */
export async function timed<T>(work: () => Promise<T>): Promise<{ result: T; elapsedMs: number }> {
  const started = performance.now();
  const result = await work();
  return { result, elapsedMs: performance.now() - started };
}
