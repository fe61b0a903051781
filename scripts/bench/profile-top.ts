// Where a V8 CPU profile (node --cpu-prof) spent its time: the functions with the most self
// time, and the project's own functions by inclusive time (themselves and what they call).
//   node --import tsx scripts/bench/profile-top.ts <file.cpuprofile> [count]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };

export type Hotspot = { fn: string; where: string; ms: number; percent: number };
export type ProfileSummary = {
  file: string; totalMs: number; idleMs: number; gcMs: number;
  self: Hotspot[]; inclusive: Hotspot[];
  /** self time by package (node_modules/<name>), project file or Node internals */
  byModule: { module: string; ms: number; percent: number }[];
};

function moduleOf(where: string): string {
  const pkg = where.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1];
  if (pkg) return pkg;
  if (where.startsWith('node:internal/deps/undici')) return 'undici (fetch)';
  if (where.startsWith('node:')) return 'node internals';
  if (where === '(native)') return '(native)';
  return where.replace(/:\d+$/, '');
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function where(frame: Node['callFrame']): string {
  const url = frame.url.replace(/^file:\/\//, '').replace(ROOT, '');
  return url ? `${url}:${frame.lineNumber + 1}` : '(native)';
}

export function summarizeProfile(file: string, count = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const key = (n: Node) => `${n.callFrame.functionName || '(anonymous)'}\t${where(n.callFrame)}`;

  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfUs) {
    self.set(key(byId.get(id)!), (self.get(key(byId.get(id)!)) ?? 0) + us);
    const seen = new Set<string>(); // a recursive function counts once per sample
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const k = key(byId.get(at)!);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + us);
    }
  }
  const top = (map: Map<string, number>, keep: (k: string) => boolean) =>
    [...map].filter(([k]) => keep(k)).sort((a, b) => b[1] - a[1]).slice(0, count).map(([k, us]) => {
      const [fn, at] = k.split('\t');
      return { fn, where: at, ms: us / 1000, percent: (100 * us) / totalUs };
    });
  const of = (name: string) => (self.get(`${name}\t(native)`) ?? 0) / 1000;
  const modules = new Map<string, number>();
  for (const [k, us] of self) {
    if (k.startsWith('(idle)') || k.startsWith('(program)')) continue;
    const m = k.startsWith('(garbage collector)') ? '(garbage collector)' : moduleOf(k.split('\t')[1]);
    modules.set(m, (modules.get(m) ?? 0) + us);
  }
  return {
    file, totalMs: totalUs / 1000, idleMs: of('(idle)'), gcMs: of('(garbage collector)'),
    self: top(self, (k) => !k.startsWith('(idle)') && !k.startsWith('(program)\t')),
    inclusive: top(inclusive, (k) => k.includes('\tsrc/')),
    byModule: [...modules].sort((a, b) => b[1] - a[1]).slice(0, count)
      .map(([module, us]) => ({ module, ms: us / 1000, percent: (100 * us) / totalUs })),
  };
}

/** The profile of a process's main thread: of the files in `dir`, the one with the most busy time. */
export function busiestProfile(dir: string): ProfileSummary | null {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((f) => summarizeProfile(join(dir, f)));
  const busy = (s: ProfileSummary) => s.self.reduce((n, h) => n + h.ms, 0);
  return files.sort((a, b) => busy(b) - busy(a))[0] ?? null;
}

export function formatProfile(summary: ProfileSummary): string[] {
  const line = (h: Hotspot) => `  ${h.ms.toFixed(0).padStart(8)} ms ${h.percent.toFixed(1).padStart(5)}%  ${h.fn}  ${h.where}`;
  return [
    `Profile ${summary.file} (${(summary.totalMs / 1000).toFixed(1)} s sampled, ${(summary.idleMs / 1000).toFixed(1)} s idle)`,
    ' self time by module:', ...summary.byModule.map((m) => `  ${m.ms.toFixed(0).padStart(8)} ms ${m.percent.toFixed(1).padStart(5)}%  ${m.module}`),
    ' self time:', ...summary.self.map(line),
    ' inclusive time, src/ functions (up to their first await):', ...summary.inclusive.map(line),
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [file, count] = process.argv.slice(2);
  console.log(formatProfile(summarizeProfile(file, Number(count ?? 15))).join('\n'));
}
