/* global document */
/**
 * The period-over-period cards (GET /api/comparisons): revenue, profit, orders and average order
 * value for the day, month, quarter and year to date, each with its change against the same span
 * a period earlier ("+8.8 % MoM"), and the gross margin with its change in points. Each figure
 * carries data-measure, data-period, data-value, data-previous and data-change for the tests.
 */
import { esc, fmt } from './format.js';

const PERIODS = [
  { period: 'day', label: 'Day', short: 'DoD' },
  { period: 'month', label: 'Month to date', short: 'MoM' },
  { period: 'quarter', label: 'Quarter to date', short: 'QoQ' },
  { period: 'year', label: 'Year to date', short: 'YoY' },
];

const MEASURES = [
  { key: 'revenue', label: 'Revenue', format: fmt.money },
  { key: 'profit', label: 'Profit', format: fmt.money },
  { key: 'orders', label: 'Orders', format: fmt.count },
  { key: 'aov', label: 'Avg order value', format: fmt.moneyCents },
];

/** Relative change, or null when there is nothing to compare with. */
export function change(current, previous) {
  if (current === null || previous === null || previous === undefined || previous === 0) return null;
  return current / previous - 1;
}

function signed(ratio) {
  if (ratio === null) return 'new';
  const pct = fmt.decimal(Math.abs(ratio) * 100);
  return `${ratio > 0 ? '+' : ratio < 0 ? '−' : '±'}${pct} %`;
}

function direction(ratio) {
  if (ratio === null || ratio === 0) return 'flat';
  return ratio > 0 ? 'up' : 'down';
}

function figure(measure, p, row) {
  const value = row[measure.key];
  const previous = row[`previous_${measure.key}`];
  const ratio = change(value, previous);
  const spans = `${row.from} – ${row.to} against ${row.previous_from} – ${row.previous_to}: ${measure.format(value)} against ${measure.format(previous)}`;
  return `<div class="cmp" data-measure="${measure.key}" data-period="${p.period}" data-value="${value ?? ''}" data-previous="${previous ?? ''}" data-change="${ratio ?? ''}" title="${esc(spans)}">
      <span class="cmp-period">${esc(p.label)}</span>
      <span class="cmp-value">${esc(measure.format(value))}</span>
      <span class="cmp-change ${direction(ratio)}">${esc(signed(ratio))} ${p.short}</span>
    </div>`;
}

function marginCard(rows) {
  const month = rows.find((r) => r.period === 'month');
  const points = month && month.margin !== null && month.previous_margin !== null ? (month.margin - month.previous_margin) * 100 : null;
  const pointsText = points === null ? 'new' : `${points > 0 ? '+' : points < 0 ? '−' : '±'}${fmt.decimal(Math.abs(points))} pts MoM`;
  return `<article class="cmp-card"><h3>Gross margin, month to date</h3>
      <div class="cmp" data-measure="margin" data-period="month" data-value="${month?.margin ?? ''}" data-previous="${month?.previous_margin ?? ''}">
        <span class="cmp-value big">${esc(fmt.percent(month?.margin ?? null))}</span>
        <span class="gauge" aria-hidden="true"><span class="gauge-fill" data-fill="${Math.max(0, Math.min(1, month?.margin ?? 0))}"></span></span>
        <span class="cmp-change ${direction(points)}">${esc(pointsText)}</span>
      </div></article>`;
}

export function renderComparisons(body) {
  const section = document.getElementById('comparisons');
  const rows = body.periods;
  section.dataset.reference = body.reference.day ?? '';
  if (rows.length === 0) {
    section.dataset.state = 'empty';
    section.querySelector('.cmp-grid').innerHTML = '';
    section.querySelector('.cmp-reference').textContent = 'No orders yet to compare.';
    return;
  }
  const byPeriod = new Map(rows.map((r) => [r.period, r]));
  const cards = MEASURES.map(
    (m) => `<article class="cmp-card"><h3>${esc(m.label)}</h3>${PERIODS.filter((p) => byPeriod.has(p.period))
      .map((p) => figure(m, p, byPeriod.get(p.period)))
      .join('')}</article>`,
  );
  section.querySelector('.cmp-grid').innerHTML = cards.join('') + marginCard(rows);
  // Widths through the CSSOM: the page's content security policy refuses inline style attributes.
  for (const fill of section.querySelectorAll('.gauge-fill[data-fill]')) fill.style.width = `${Number(fill.dataset.fill) * 100}%`;
  const why = { range: 'the end of the chosen dates', 'simulated-clock': 'the simulated today', data: 'the last day with orders' }[body.reference.source];
  section.querySelector('.cmp-reference').textContent = `To date up to ${body.reference.day} (${why}), each against the same span one period earlier; hover a figure for its dates.`;
  section.dataset.state = 'ready';
}

export function renderComparisonsError(message) {
  const section = document.getElementById('comparisons');
  section.dataset.state = 'error';
  section.querySelector('.cmp-reference').textContent = message;
}
