import type { MonthCount } from '../domain/submissions/submission-history.ts';
import { monthName } from '../domain/time/edmonton.ts';
import { ScrollTable } from './scroll-table.tsx';

/** The payment-model minimum: a panel below it is drawn in the warning colour. */
export const MINIMUM_PATIENTS = 500;

const WIDTH = 640;
const HEIGHT = 250;
const LEFT = 48;
const RIGHT = 12;
const TOP = 30;
const BOTTOM = 40;
const PLOT_W = WIDTH - LEFT - RIGHT;
const PLOT_H = HEIGHT - TOP - BOTTOM;

// Coordinates to a tenth of a unit: plenty on screen, and short markup.
const at = (n: number) => Math.round(n * 10) / 10;
const number = (n: number) => n.toLocaleString('en-CA');
const monthParts = (month: string) => ({ year: Number(month.slice(0, 4)), month: Number(month.slice(5, 7)) });
const shortMonth = (month: string) => monthName(monthParts(month).month).slice(0, 3);
const longMonth = (month: string) => `${monthName(monthParts(month).month)} ${monthParts(month).year}`;

// What each bar's look means; the legend below the chart draws the same swatches.
const BAR_STYLES = {
  sent: { label: 'Sent to Netcare', fill: '#0b5cab', stroke: 'none' },
  below: { label: `Sent, below ${MINIMUM_PATIENTS} patients`, fill: '#8a5a00', stroke: 'none' },
  failed: { label: 'Failed: not registered that month', fill: '#ffffff', stroke: '#5b6472' },
  counted: { label: 'Counted by the registry', fill: '#17663a', stroke: 'none' },
} as const;
type BarStyle = keyof typeof BAR_STYLES;

/** A failed month is drawn as an outline whatever its size: nothing reached the registry. */
function barStyle(m: MonthCount): BarStyle {
  if (m.status === 'Failed') return 'failed';
  return m.patientCount! < MINIMUM_PATIENTS ? 'below' : 'sent';
}

/** The top of the y-axis: room above the biggest panel, and never below the 500 line's headroom. */
export function chartMax(months: MonthCount[]): number {
  const biggest = Math.max(0, ...months.map((m) => m.patientCount ?? 0));
  return Math.max(600, Math.ceil(biggest * 1.1));
}

/** What a screen reader hears instead of the picture. */
export function chartSummary(months: MonthCount[]): string {
  const range = `${longMonth(months[0].month)} to ${longMonth(months[months.length - 1].month)}`;
  const withData = months.filter((m) => m.patientCount !== null);
  if (withData.length === 0) return `Patients per monthly submission, ${range}: no monthly submission with a patient count.`;
  const latest = withData[withData.length - 1];
  const below = withData.filter((m) => m.patientCount! < MINIMUM_PATIENTS).length;
  const failed = withData.filter((m) => m.status === 'Failed').length;
  const gaps = months.length - withData.length;
  return [
    `Patients per monthly submission, ${range}.`,
    `Latest: ${number(latest.patientCount!)} in ${longMonth(latest.month)}${latest.registryCounted === null ? '' : `, ${number(latest.registryCounted)} counted by the registry`}.`,
    `${below} of ${withData.length} monthly submissions below the ${MINIMUM_PATIENTS}-patient payment-model minimum.`,
    failed ? `${failed} failed.` : '',
    gaps ? `${gaps} ${gaps === 1 ? 'month' : 'months'} without a monthly submission.` : '',
  ].filter(Boolean).join(' ');
}

/**
 * Patient count of each monthly submission over twelve Edmonton months, as an inline SVG
 * bar chart with the 500-patient line; a month without a submission is a gap. The same
 * numbers follow as a table, so nothing depends on seeing the picture.
 */
export function PatientCountChart({ months }: { months: MonthCount[] }) {
  const max = chartMax(months);
  const y = (count: number) => at(TOP + PLOT_H * (1 - count / max));
  const slot = PLOT_W / months.length;
  const barWidth = Math.round(slot * 0.6);
  const minimumY = y(MINIMUM_PATIENTS);
  const summary = chartSummary(months);
  // The registry's counts appear once it has answered for some month.
  const anyCounted = months.some((m) => m.registryCounted !== null);
  const styles = (Object.keys(BAR_STYLES) as BarStyle[]).filter((key) => key !== 'counted' || anyCounted);
  return (
    <figure class="patient-count-chart" id="patient-count-chart">
      <figcaption>Patients in each monthly submission, last 12 months</figcaption>
      <svg xmlns="http://www.w3.org/2000/svg" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary}
        width="100%" font-family="system-ui, sans-serif" font-size="11">
        <title>{summary}</title>
        <line class="axis" x1={LEFT} y1={TOP + PLOT_H} x2={LEFT + PLOT_W} y2={TOP + PLOT_H} stroke="#5b6472" />
        <line class="axis" x1={LEFT} y1={TOP} x2={LEFT} y2={TOP + PLOT_H} stroke="#5b6472" />
        <text class="tick" x={LEFT - 6} y={TOP + PLOT_H} text-anchor="end" dominant-baseline="middle">0</text>
        <text class="tick" x={LEFT - 6} y={TOP} text-anchor="end" dominant-baseline="middle">{number(max)}</text>
        {months.map((m, i) => {
          const centre = at(LEFT + slot * i + slot / 2);
          const { year, month } = monthParts(m.month);
          return (
            <g class="month" data-month={m.month}>
              {m.patientCount === null ? null : (
                <>
                  <rect class={['bar', m.patientCount < MINIMUM_PATIENTS ? 'below-minimum' : '', m.status === 'Failed' ? 'failed' : ''].filter(Boolean).join(' ')}
                    x={at(centre - barWidth / 2)} y={y(m.patientCount)} width={barWidth}
                    height={at(TOP + PLOT_H - y(m.patientCount))} fill={BAR_STYLES[barStyle(m)].fill}
                    stroke={BAR_STYLES[barStyle(m)].stroke} stroke-width="1.5" stroke-dasharray={m.status === 'Failed' ? '4 2' : undefined}>
                    <title>{`${longMonth(m.month)}: ${number(m.patientCount)} patients (${m.status})`}</title>
                  </rect>
                  <text class="value" x={centre} y={at(y(m.patientCount) - 4)} text-anchor="middle">{number(m.patientCount)}</text>
                  {m.registryCounted === null ? null : (
                    // Beside the sent bar, a narrower one: the patients the registry counted.
                    <rect class="bar counted" x={at(centre + barWidth / 2 - barWidth * 0.4)} y={y(m.registryCounted)} width={at(barWidth * 0.4)}
                      height={at(TOP + PLOT_H - y(m.registryCounted))} fill={BAR_STYLES.counted.fill} stroke="#ffffff" stroke-width="1">
                      <title>{`${longMonth(m.month)}: ${number(m.registryCounted)} of ${number(m.patientCount)} counted by the registry`}</title>
                    </rect>
                  )}
                </>
              )}
              <text class="month-label" x={centre} y={TOP + PLOT_H + 14} text-anchor="middle">{shortMonth(m.month)}</text>
              {i === 0 || month === 1 ? (
                <text class="year-label" x={centre} y={TOP + PLOT_H + 28} text-anchor="middle" fill="#5b6472">{year}</text>
              ) : null}
            </g>
          );
        })}
        <line class="minimum" x1={LEFT} y1={minimumY} x2={LEFT + PLOT_W} y2={minimumY}
          stroke="#a3222b" stroke-width="1.5" stroke-dasharray="6 4" />
        <text class="tick minimum-tick" x={LEFT - 6} y={minimumY} text-anchor="end" dominant-baseline="middle" fill="#a3222b">{MINIMUM_PATIENTS}</text>
        {/* The line's label sits above the plot, as a legend, so no bar ever hides it. */}
        <line x1={LEFT + PLOT_W - 214} y1={TOP - 16} x2={LEFT + PLOT_W - 190} y2={TOP - 16}
          stroke="#a3222b" stroke-width="1.5" stroke-dasharray="6 4" />
        <text class="minimum-label" x={LEFT + PLOT_W} y={TOP - 16} text-anchor="end" dominant-baseline="middle" fill="#a3222b">
          {`${MINIMUM_PATIENTS} — payment-model minimum`}
        </text>
      </svg>
      <ul class="chart-legend">
        {styles.map((key) => (
          <li data-style={key}>
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 14 14" width="14" height="14" aria-hidden="true" focusable="false">
              <rect x="1" y="1" width="12" height="12" fill={BAR_STYLES[key].fill} stroke={BAR_STYLES[key].stroke}
                stroke-width="1.5" stroke-dasharray={key === 'failed' ? '4 2' : undefined} />
            </svg>
            {BAR_STYLES[key].label}
          </li>
        ))}
      </ul>
      <details class="chart-data">
        <summary>The same numbers as a table</summary>
        <ScrollTable label="Patients in each monthly submission">
          <table>
            <caption class="visually-hidden">Patients in each monthly submission</caption>
            <thead><tr><th scope="col">Month</th><th scope="col" class="num">Patients</th>{anyCounted ? <th scope="col" class="num">Counted by the registry</th> : null}<th scope="col">Status</th></tr></thead>
            <tbody>
              {months.map((m) => (
                <tr data-month={m.month}>
                  <th scope="row">{longMonth(m.month)}</th>
                  <td class="num">{m.patientCount === null ? 'No monthly submission' : number(m.patientCount)}</td>
                  {anyCounted ? <td class="num">{m.registryCounted === null ? '' : number(m.registryCounted)}</td> : null}
                  <td>{m.status ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      </details>
    </figure>
  );
}
