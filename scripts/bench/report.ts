// The results table: every figure with its target (when the issue sets one for this scale)
// and PASS/FAIL, printed and written as JSON.
import { TARGETS, type Condition, type Target, type Scale, type TargetKey } from './scales.ts';

export type Row = {
  section: string;
  label: string;
  value: number | null;
  unit: string;
  digits?: number;
  note?: string;
  target?: TargetKey;
};

export type Judged = Row & { targetText: string; verdict: 'PASS' | 'FAIL' | '' };

export function judge(rows: Row[], scale: Scale['name'], condition: Condition = 'normal'): Judged[] {
  return rows.map((row) => {
    if (!row.target) return { ...row, targetText: '', verdict: '' };
    const t: Target = TARGETS[row.target];
    const limit = condition === 'normal' ? t.limit : t[condition] === undefined ? t.limit : t[condition];
    const text = `${t.atMost ? '≤' : '≥'} ${limit ?? t.limit} ${t.unit}`;
    if (!(t.scales as string[]).includes(scale)) return { ...row, targetText: `(${text} at ${t.scales.join('/')})`, verdict: '' };
    if (limit === null) return { ...row, targetText: `(${text}, judged in a normal run)`, verdict: '' };
    const ok = row.value !== null && Number.isFinite(row.value) && (t.atMost ? row.value <= limit : row.value >= limit);
    return { ...row, targetText: text, verdict: ok ? 'PASS' : 'FAIL' };
  });
}

function show(row: Row): string {
  if (row.value === null || !Number.isFinite(row.value)) return 'n/a';
  const digits = row.digits ?? (Math.abs(row.value) >= 100 ? 0 : Math.abs(row.value) >= 10 ? 1 : 2);
  return `${row.value.toLocaleString('en-CA', { minimumFractionDigits: digits, maximumFractionDigits: digits })} ${row.unit}`.trim();
}

export function formatTable(rows: Judged[]): string {
  const labelWidth = Math.max(...rows.map((r) => r.label.length));
  const valueWidth = Math.max(...rows.map((r) => show(r).length));
  const targetWidth = Math.max(...rows.map((r) => r.targetText.length));
  const lines: string[] = [];
  let section = '';
  for (const row of rows) {
    if (row.section !== section) {
      section = row.section;
      lines.push('', section);
    }
    lines.push(`  ${row.label.padEnd(labelWidth)}  ${show(row).padStart(valueWidth)}  ${row.targetText.padEnd(targetWidth)}  ${row.verdict.padEnd(4)}${row.note ? `  ${row.note}` : ''}`);
  }
  return lines.join('\n');
}

export function failures(rows: Judged[]): Judged[] {
  return rows.filter((r) => r.verdict === 'FAIL');
}
