import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseHTML } from 'linkedom';
import type { MonthCount } from '../../src/domain/submissions/submission-history.ts';
import { PatientCountChart } from '../../src/views/patient-count-chart.tsx';

const chart = suite('patient count chart');

const MONTHS = ['2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11'];

/** Twelve months with the given counts (null: no monthly submission that month); `failed` lists failed months' indexes. */
function months(counts: (number | null)[], failed: number[] = [], counted: (number | null)[] = []): MonthCount[] {
  return MONTHS.map((month, i) => ({
    month, patientCount: counts[i], status: counts[i] === null ? null : failed.includes(i) ? 'Failed' : 'Submitted',
    submissionId: counts[i] === null ? null : i + 1, registryCounted: counted[i] ?? null,
  }));
}

async function render(counts: (number | null)[], failed: number[] = [], counted: (number | null)[] = []) {
  return parseHTML(`<body>${await PatientCountChart({ months: months(counts, failed, counted) }).toString()}</body>`).document;
}

const num = (el: Element | null, name: string) => Number(el?.getAttribute(name));
const bar = (doc: Document, month: string) => doc.querySelector(`g[data-month="${month}"] rect.bar:not(.counted)`);

const SAMPLE = [480, 520, null, 610, 700, 1000, 500, 650, 720, 800, 812, null];

chart('one bar per month with data, and a gap for each month without', async () => {
  const doc = await render(SAMPLE);
  assert.is(doc.querySelectorAll('rect.bar').length, 10);
  assert.not.ok(bar(doc, '2026-02'));
  assert.not.ok(bar(doc, '2026-11'));
  assert.ok(bar(doc, '2026-10'));
  assert.equal([...doc.querySelectorAll('.month-label')].map((t) => t.textContent),
    ['Dec', 'Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov']);
  assert.equal([...doc.querySelectorAll('.year-label')].map((t) => t.textContent), ['2025', '2026']);
});

chart('bar heights are proportional to the counts, from a common baseline', async () => {
  const doc = await render(SAMPLE);
  const big = bar(doc, '2026-05')!;
  const half = bar(doc, '2026-06')!;
  assert.ok(Math.abs(num(big, 'height') / num(half, 'height') - 2) < 0.01);
  assert.ok(Math.abs(num(big, 'y') + num(big, 'height') - (num(half, 'y') + num(half, 'height'))) < 0.2);
});

chart('a line at 500 patients, labelled as the payment-model minimum, level with a 500-patient bar', async () => {
  const doc = await render(SAMPLE);
  const line = doc.querySelector('line.minimum')!;
  assert.is(line.getAttribute('y1'), line.getAttribute('y2'));
  assert.ok(Math.abs(num(line, 'y1') - num(bar(doc, '2026-06'), 'y')) < 0.2);
  assert.is(doc.querySelector('.minimum-label')?.textContent, '500 — payment-model minimum');
});

chart('panels below the minimum are marked', async () => {
  const doc = await render(SAMPLE);
  assert.ok(bar(doc, '2025-12')!.classList.contains('below-minimum'));
  assert.not.ok(bar(doc, '2026-06')!.classList.contains('below-minimum'));
});

chart('the y-axis reaches 10% above the biggest panel, and never less than 600', async () => {
  const big = await render(SAMPLE);
  const ticks = (doc: Document) => [...doc.querySelectorAll('.tick')].map((t) => t.textContent);
  assert.equal(ticks(big), ['0', '1,100', '500']);
  const small = await render([120, 90, null, null, null, null, null, null, null, null, null, 150]);
  assert.equal(ticks(small), ['0', '600', '500']);
  const line = small.querySelector('line.minimum')!;
  const top = num(small.querySelector('line.axis:nth-of-type(2)'), 'y1');
  const bottom = num(small.querySelector('line.axis'), 'y1');
  assert.ok(Math.abs((bottom - num(line, 'y1')) / (bottom - top) - 500 / 600) < 0.001);
});

chart('is an image with a summary for screen readers, and the numbers as a table', async () => {
  const doc = await render(SAMPLE);
  const svg = doc.querySelector('svg')!;
  assert.is(svg.getAttribute('role'), 'img');
  const label = svg.getAttribute('aria-label') ?? '';
  assert.match(label, 'December 2025 to November 2026');
  assert.match(label, 'Latest: 812 in October 2026');
  assert.match(label, '1 of 10 monthly submissions below the 500-patient payment-model minimum');
  assert.match(label, '2 months without a monthly submission');
  assert.is(svg.querySelector('title')?.textContent, label);
  const rows = [...doc.querySelectorAll('details table tbody tr')];
  assert.is(rows.length, 12);
  assert.equal([...rows[3].children].map((c) => c.textContent), ['March 2026', '610', 'Submitted']);
  assert.equal([...rows[2].children].map((c) => c.textContent), ['February 2026', 'No monthly submission', '']);
  assert.not.ok(doc.querySelector('script'));
  assert.not.ok(doc.querySelector('[style]'), 'the CSP forbids inline styles');
});

chart('a failed month is drawn unlike a sent one, and a legend says what each look means', async () => {
  const doc = await render(SAMPLE, [4]);
  const failed = bar(doc, '2026-04')!;
  const sent = bar(doc, '2026-05')!;
  const below = bar(doc, '2025-12')!;
  assert.ok(failed.classList.contains('failed'));
  assert.not.ok(sent.classList.contains('failed'));
  const look = (el: Element) => `${el.getAttribute('fill')} ${el.getAttribute('stroke')} ${el.getAttribute('stroke-dasharray')}`;
  assert.is(new Set([look(failed), look(sent), look(below)]).size, 3, 'three looks');
  const legend = [...doc.querySelectorAll('.chart-legend li')];
  assert.equal(legend.map((li) => li.textContent), ['Sent to Netcare', 'Sent, below 500 patients', 'Failed: not registered that month']);
  assert.equal(legend.map((li) => look(li.querySelector('rect')!)), [look(sent), look(below), look(failed)]);
  assert.match(doc.querySelector('svg')?.getAttribute('aria-label') ?? '', '1 failed.');
});

chart('a panel never sent says so instead of drawing bars', async () => {
  const doc = await render(Array(12).fill(null));
  assert.is(doc.querySelectorAll('rect.bar').length, 0);
  assert.match(doc.querySelector('svg')?.getAttribute('aria-label') ?? '', 'no monthly submission with a patient count');
});

chart('the patients the registry counted stand beside those sent, in the legend, the summary and the table', async () => {
  const counted = [null, null, null, null, null, null, null, null, null, 790, 640, null];
  const doc = await render(SAMPLE, [], counted);
  const beside = doc.querySelector('g[data-month="2026-10"] rect.counted')!;
  assert.ok(beside, 'October has a counted bar');
  const sent = bar(doc, '2026-10')!;
  // Same baseline, proportional heights: 640 of 812.
  assert.is(Math.round(num(beside, 'height') / num(sent, 'height') * 812), 640);
  assert.is(doc.querySelectorAll('rect.counted').length, 2);
  assert.not.ok(doc.querySelector('g[data-month="2026-08"] rect.counted'), 'no answer, no counted bar');
  assert.ok([...doc.querySelectorAll('.chart-legend li')].some((li) => li.textContent?.includes('Counted by the registry')));
  assert.match(doc.querySelector('svg[role=img]')?.getAttribute('aria-label') ?? '', 'Latest: 812 in October 2026, 640 counted by the registry.');
  assert.is(doc.querySelector('tr[data-month="2026-10"] td:nth-of-type(2)')?.textContent, '640');
});

chart.run();
