/* global Chart, document */
/**
 * Every chart and table of the six tabs: which endpoint feeds it and how its rows become a
 * Chart.js chart (or a table). Cards are built once per tab; a refresh swaps the data in place
 * (no flicker). Each card reports data-state (loading | ready | empty | error) and data-points
 * (points drawn, or table rows), which the browser tests read.
 */
import { esc, fmt } from './format.js';

const PALETTE = ['#2563eb', '#16a34a', '#f59e0b', '#dc2626', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#ea580c', '#475569'];
const REVENUE_PROFIT = [
  { key: 'revenue', label: 'Revenue', color: PALETTE[0] },
  { key: 'profit', label: 'Profit', color: PALETTE[1] },
];

/** The charts, tab by tab. `endpoint` defaults to the chart's name. */
export const CHARTS = [
  {
    tab: 'revenue', name: 'revenue-daily', title: 'Revenue and profit of delivered orders, by day (Manila time; shaded: sale days)', kind: 'line', wide: true,
    x: 'day', time: true, series: REVENUE_PROFIT, money: true,
  },
  {
    tab: 'revenue', name: 'revenue-monthly', title: 'By month, beside the same months a year earlier', kind: 'bar', x: 'month', money: true,
    series: [
      ...REVENUE_PROFIT,
      { key: 'revenue_year_before', label: 'Revenue a year earlier', color: PALETTE[0], line: true },
      { key: 'profit_year_before', label: 'Profit a year earlier', color: PALETTE[1], line: true },
    ],
  },
  { tab: 'revenue', name: 'revenue-quarterly', title: 'By quarter', kind: 'bar', x: 'quarter', series: REVENUE_PROFIT, money: true },
  { tab: 'revenue', name: 'revenue-yearly', title: 'By year', kind: 'bar', x: 'year', series: REVENUE_PROFIT, money: true },
  {
    tab: 'revenue', name: 'revenue-by-day-of-month', title: 'By day of the month, all months together (sale days: 14th–15th, month end)',
    kind: 'bar', x: 'day_of_month', series: REVENUE_PROFIT, money: true,
  },

  { tab: 'orders', name: 'orders-daily', title: 'Orders placed (any outcome) and average value of delivered orders, by day', kind: 'count-and-aov', wide: true, x: 'day', time: true },
  { tab: 'orders', name: 'orders-monthly', title: 'By month', kind: 'count-and-aov', x: 'month' },
  { tab: 'orders', name: 'orders-quarterly', title: 'By quarter', kind: 'count-and-aov', x: 'quarter' },
  { tab: 'orders', name: 'orders-yearly', title: 'By year', kind: 'count-and-aov', x: 'year' },
  { tab: 'orders', name: 'orders-by-day-of-month', title: 'By day of the month, all months together', kind: 'count-and-aov', x: 'day_of_month' },
  { tab: 'orders', name: 'order-status', title: 'How orders ended', kind: 'doughnut', label: 'status', value: 'orders' },

  { tab: 'customers', name: 'customers-overview', title: 'Repeat customers', kind: 'customers-overview' },
  { tab: 'customers', name: 'top-customers', title: 'Top customers by revenue', kind: 'hbar', label: 'customer_label', series: [{ key: 'revenue', label: 'Revenue', color: PALETTE[0] }], money: true, extra: 'orders', customers: true },
  { tab: 'customers', name: 'top-customers-monthly', title: 'Monthly revenue of the top 5 customers', kind: 'pivot-line', wide: true, x: 'month', group: 'customer_id', value: 'revenue', money: true, customers: true },
  {
    tab: 'customers', name: 'top-customers-items', title: 'Favourite items of the top 5 customers', kind: 'table', wide: true, customers: true,
    columns: [
      { key: 'customer_label', label: 'Customer' },
      { key: 'item_name', label: 'Item' },
      { key: 'sku', label: 'SKU' },
      { key: 'quantity', label: 'Units', num: true, format: fmt.count },
      { key: 'orders', label: 'Orders', num: true, format: fmt.count },
    ],
  },

  { tab: 'items', name: 'items-most-profitable', title: 'Most profitable items', kind: 'hbar', label: 'item_name', series: [{ key: 'profit', label: 'Profit', color: PALETTE[1] }], money: true, tall: true },
  { tab: 'items', name: 'items-by-quantity', title: 'Most bought items by units', kind: 'hbar', label: 'item_name', series: [{ key: 'quantity', label: 'Units', color: PALETTE[0] }], tall: true },
  { tab: 'items', name: 'items-by-orders', title: 'Most bought items by orders', kind: 'hbar', label: 'item_name', series: [{ key: 'orders', label: 'Orders', color: PALETTE[4] }], tall: true },
  { tab: 'items', name: 'item-pairs', title: 'Items bought together (orders with both)', kind: 'heatmap', tall: true },

  { tab: 'delivery', name: 'fulfilment-times', title: 'Average time to pay, ship and deliver (delivered orders)', kind: 'bar', x: 'stage', series: [{ key: 'avg_hours', label: 'Hours', color: PALETTE[5] }], hours: true },
  { tab: 'delivery', name: 'payment-methods', title: 'Payment methods', kind: 'doughnut', label: 'method', value: 'orders' },
  { tab: 'delivery', name: 'express-share', title: 'Express vs standard shipping (paid orders)', kind: 'doughnut', label: 'shipping', value: 'orders' },
  { tab: 'delivery', name: 'on-time-rate', title: 'On-time delivery rate by month (finished ≤ ETA + 24 h)', kind: 'rate-line', x: 'month', value: 'on_time_rate' },

  { tab: 'locations', name: 'provinces-revenue', endpoint: 'provinces', title: 'Revenue by province (top 20)', kind: 'hbar', label: 'province', series: [{ key: 'revenue', label: 'Revenue', color: PALETTE[0] }], money: true, tall: true, top: 20 },
  {
    tab: 'locations', name: 'provinces-customers', endpoint: 'provinces', title: 'Customers and orders by province (top 20 by orders)', kind: 'hbar', label: 'province',
    series: [
      { key: 'orders', label: 'Orders', color: PALETTE[4] },
      { key: 'customers', label: 'Customers', color: PALETTE[2] },
    ],
    tall: true, top: 20, sortBy: 'orders',
  },
  {
    tab: 'locations', name: 'provinces-table', endpoint: 'provinces', title: 'Every province', kind: 'table', wide: true,
    columns: [
      { key: 'province', label: 'Province' },
      { key: 'provincial_code', label: 'Code' },
      { key: 'revenue', label: 'Revenue', num: true, format: fmt.money },
      { key: 'orders', label: 'Orders', num: true, format: fmt.count },
      { key: 'customers', label: 'Customers', num: true, format: fmt.count },
    ],
  },
];

/** One card per chart, in its tab's panel. */
export function buildCards(tab) {
  const panel = document.querySelector(`[data-tab-panel="${tab}"]`);
  for (const spec of CHARTS.filter((c) => c.tab === tab)) {
    const card = document.createElement('article');
    card.className = `card${spec.wide ? ' wide' : ''}${spec.tall ? ' tall' : ''}`;
    card.dataset.chart = spec.name;
    card.dataset.state = 'loading';
    const body = spec.kind === 'table' ? '<div class="table-box"></div>' : spec.kind === 'customers-overview' ? '<div class="figures"></div><div class="chart-box"><canvas></canvas></div>' : '<div class="chart-box"><canvas></canvas></div>';
    card.innerHTML = `<h2>${esc(spec.title)}</h2>${body}<p class="note muted">Loading…</p>`;
    panel.appendChild(card);
  }
}

/** Puts a chart's rows on its card (creating the chart the first time). */
export function renderCard(spec, rows, emptyMessage) {
  const card = document.querySelector(`[data-chart="${spec.name}"]`);
  if (!card) return;
  const note = card.querySelector('.note');
  if (rows.length === 0) {
    destroyChart(card);
    card.dataset.state = 'empty';
    card.dataset.points = '0';
    note.textContent = emptyMessage;
    const table = card.querySelector('.table-box');
    if (table) table.innerHTML = '';
    return;
  }
  const points = RENDERERS[spec.kind](card, spec, spec.customers ? withCustomerLabels(rows) : rows);
  card.dataset.state = 'ready';
  card.dataset.points = String(points);
  note.textContent = noteFor(spec, rows);
}

export function renderCardError(spec, message) {
  const card = document.querySelector(`[data-chart="${spec.name}"]`);
  if (!card) return;
  card.dataset.state = 'error';
  card.querySelector('.note').textContent = message;
}

function noteFor(spec, rows) {
  if (spec.name === 'on-time-rate') {
    const delivered = rows.reduce((a, r) => a + r.delivered, 0);
    const onTime = rows.reduce((a, r) => a + r.on_time, 0);
    return delivered > 0 ? `Overall: ${fmt.percent(onTime / delivered)} of ${fmt.count(delivered)} delivered orders on time.` : '';
  }
  if (spec.name === 'item-pairs') return `The ${new Set(rows.map((r) => r.sku_a).concat(rows.map((r) => r.sku_b))).size} items most often bought with another; darker = more orders with both. Hover a cell for the count.`;
  if (spec.top && rows.length > spec.top) return `${rows.length} provinces; the top ${spec.top} shown.`;
  return '';
}

/**
 * Customers are told apart by id: a name that belongs to more than one customer id among the rows
 * is shown with the id ("Angelica Torres (#1042)").
 */
export function withCustomerLabels(rows) {
  const ids = new Map();
  for (const r of rows) ids.set(r.customer_name, (ids.get(r.customer_name) ?? new Set()).add(r.customer_id));
  return rows.map((r) => ({ ...r, customer_label: ids.get(r.customer_name).size > 1 ? `${r.customer_name} (#${r.customer_id})` : r.customer_name }));
}

// ---- time: the axis, the simulated now, sale days ---------------------------------------------

/**
 * What the time axes show beyond the rows, set by the page: their ends (the range's, or the
 * simulated now) and the simulated now, as Manila wall times (YYYY-MM-DD[THH:mm:ss]).
 */
const timeContext = { min: '', max: '', simNow: '' };

export function setTimeContext(context) {
  Object.assign(timeContext, context);
}

/** A Manila day or wall time as the time axis's value (the adapter reads ISO text as local wall time; every value is, alike). */
const DAY_MS = 86_400_000;

function timeAxis() {
  const axis = {
    type: 'time',
    time: { tooltipFormat: 'yyyy-MM-dd', displayFormats: { day: 'd MMM', month: 'MMM yyyy' } },
    ticks: { maxRotation: 0, autoSkip: true },
  };
  if (timeContext.min) axis.min = timeContext.min;
  if (timeContext.max) axis.max = timeContext.max;
  return axis;
}

/**
 * Draws, behind the data, a band over each sale day of the rows (their `sale` column), and in
 * front a dashed line at the simulated now; options.plugins.dayMarks = { saleDays: [...], simNow }.
 */
const dayMarks = {
  id: 'dayMarks',
  defaults: { saleDays: [], simNow: '' },
  beforeDatasetsDraw(chart, _args, opts) {
    const x = chart.scales.x;
    if (!x || x.type !== 'time' || opts.saleDays.length === 0) return;
    const { ctx, chartArea } = chart;
    ctx.save();
    ctx.fillStyle = 'rgba(245, 158, 11, 0.2)';
    for (const day of opts.saleDays) {
      const at = x.parse(day);
      const left = Math.max(chartArea.left, x.getPixelForValue(at - DAY_MS / 2));
      const right = Math.min(chartArea.right, x.getPixelForValue(at + DAY_MS / 2));
      if (right > left) ctx.fillRect(left, chartArea.top, right - left, chartArea.bottom - chartArea.top);
    }
    ctx.restore();
  },
  afterDatasetsDraw(chart, _args, opts) {
    const x = chart.scales.x;
    if (!x || x.type !== 'time' || !opts.simNow) return;
    const px = x.getPixelForValue(x.parse(opts.simNow));
    const { ctx, chartArea } = chart;
    if (px < chartArea.left - 1 || px > chartArea.right + 1) return;
    ctx.save();
    ctx.strokeStyle = '#dc2626';
    ctx.setLineDash([5, 4]);
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.moveTo(px, chartArea.top);
    ctx.lineTo(px, chartArea.bottom);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = '#dc2626';
    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = px > chartArea.right - 90 ? 'right' : 'left';
    ctx.fillText('simulated now', px + (ctx.textAlign === 'right' ? -4 : 4), chartArea.top + 11);
    ctx.restore();
  },
};

let pluginsRegistered = false;
function registerPlugins() {
  if (pluginsRegistered) return;
  Chart.register(dayMarks);
  pluginsRegistered = true;
}

// ---- chart plumbing -------------------------------------------------------------------------

const charts = new WeakMap();

function destroyChart(card) {
  const chart = charts.get(card);
  if (chart) {
    chart.destroy();
    charts.delete(card);
  }
}

/** Creates the card's chart, or swaps data and options into the existing one when the type is the same. */
function draw(card, config) {
  registerPlugins();
  const existing = charts.get(card);
  if (existing && existing.config.type === config.type) {
    existing.data = config.data;
    existing.options = config.options;
    existing.update('none');
    return;
  }
  destroyChart(card);
  const canvas = card.querySelector('canvas');
  charts.set(card, new Chart(canvas, config));
}

function pointsOf(datasets) {
  return datasets.reduce((a, d) => a + d.data.length, 0);
}

function valueFormat(spec) {
  if (spec.money) return fmt.money;
  if (spec.hours) return fmt.hours;
  return fmt.count;
}

function baseOptions(spec, format) {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    interaction: { mode: 'index', intersect: false },
    plugins: {
      legend: { display: true, position: 'bottom' },
      tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label}: ${format(ctx.parsed.y ?? ctx.parsed)}` } },
    },
    scales: {
      x: { ticks: { maxRotation: 0, autoSkip: true } },
      y: { beginAtZero: true, ticks: { callback: (v) => (spec.money ? fmt.moneyCompact(v) : format(v)) } },
    },
  };
}

// ---- renderers: rows → chart, returning the number of points drawn ---------------------------

function seriesChart(card, spec, rows) {
  const datasets = spec.series.map((s) => ({
    ...(s.line ? { type: 'line', borderDash: [6, 4], pointRadius: 0, borderWidth: 1.5, order: -1 } : {}),
    label: s.label,
    data: spec.time ? rows.map((r) => ({ x: r[spec.x], y: r[s.key] })) : s.line ? fromFirstValue(rows.map((r) => r[s.key])) : rows.map((r) => r[s.key]),
    borderColor: s.color,
    backgroundColor: s.line ? `${s.color}55` : s.color,
    pointRadius: s.line || (spec.kind === 'line' && rows.length > 60) ? 0 : 2,
    borderWidth: spec.kind === 'line' || s.line ? 1.5 : 0,
    fill: false,
  }));
  const options = baseOptions(spec, valueFormat(spec));
  if (spec.time) {
    options.scales.x = timeAxis();
    const saleDays = rows.filter((r) => r.sale).map((r) => r[spec.x]);
    options.plugins.dayMarks = { saleDays, simNow: timeContext.simNow };
    card.dataset.saleDays = String(saleDays.length);
  }
  const labels = spec.time ? undefined : rows.map((r) => String(r[spec.x]));
  draw(card, { type: spec.kind, data: { ...(labels ? { labels } : {}), datasets }, options });
  if (spec.time) markTimeAxis(card);
  return pointsOf(datasets);
}

/** A comparison line starts where it has data: the zeros before its first value (no year-earlier month yet) are left out. */
function fromFirstValue(values) {
  const first = values.findIndex((v) => v !== 0 && v !== null);
  return first < 0 ? values.map(() => null) : values.map((v, i) => (i < first ? null : v));
}

/** For the tests and the curious: the kind of the x axis, and the simulated now drawn, as attributes of the card. */
function markTimeAxis(card) {
  const chart = charts.get(card);
  card.dataset.xAxis = chart?.scales.x?.type ?? '';
  card.dataset.simNow = timeContext.simNow;
}

function horizontalBars(card, spec, rows) {
  let picked = rows;
  if (spec.sortBy) picked = [...rows].sort((a, b) => b[spec.sortBy] - a[spec.sortBy]);
  if (spec.top) picked = picked.slice(0, spec.top);
  const format = valueFormat(spec);
  const datasets = spec.series.map((s) => ({ label: s.label, data: picked.map((r) => r[s.key]), backgroundColor: s.color }));
  const options = baseOptions(spec, format);
  options.indexAxis = 'y';
  options.interaction = { mode: 'index', axis: 'y', intersect: false };
  options.scales = {
    x: { beginAtZero: true, ticks: { callback: (v) => (spec.money ? fmt.moneyCompact(v) : format(v)) } },
    y: { ticks: { autoSkip: false, font: { size: 11 } } },
  };
  options.plugins.legend.display = spec.series.length > 1;
  options.plugins.tooltip.callbacks = {
    label: (ctx) => `${ctx.dataset.label}: ${format(ctx.parsed.x)}`,
    afterBody: spec.extra ? (items) => `${spec.extra}: ${fmt.count(picked[items[0].dataIndex][spec.extra])}` : undefined,
  };
  draw(card, { type: 'bar', data: { labels: picked.map((r) => r[spec.label]), datasets }, options });
  return pointsOf(datasets);
}

function countAndAov(card, spec, rows) {
  const values = (key) => (spec.time ? rows.map((r) => ({ x: r[spec.x], y: r[key] })) : rows.map((r) => r[key]));
  const datasets = [
    { type: 'bar', label: 'Orders', data: values('orders'), backgroundColor: `${PALETTE[0]}aa`, yAxisID: 'y' },
    { type: 'line', label: 'Average delivered order value', data: values('aov'), borderColor: PALETTE[2], backgroundColor: PALETTE[2], yAxisID: 'aov', pointRadius: rows.length > 60 ? 0 : 2, borderWidth: 1.5, spanGaps: true },
  ];
  const options = baseOptions(spec, fmt.count);
  if (spec.time) {
    options.scales.x = timeAxis();
    options.plugins.dayMarks = { saleDays: [], simNow: timeContext.simNow };
  }
  options.scales.aov = { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false }, ticks: { callback: (v) => fmt.moneyCompact(v) } };
  options.plugins.tooltip.callbacks = { label: (ctx) => `${ctx.dataset.label}: ${ctx.dataset.yAxisID === 'aov' ? fmt.moneyCents(ctx.parsed.y) : fmt.count(ctx.parsed.y)}` };
  draw(card, { type: 'bar', data: { ...(spec.time ? {} : { labels: rows.map((r) => String(r[spec.x])) }), datasets }, options });
  if (spec.time) markTimeAxis(card);
  return pointsOf(datasets);
}

function doughnut(card, spec, rows) {
  const datasets = [{ data: rows.map((r) => r[spec.value]), backgroundColor: rows.map((_, i) => PALETTE[i % PALETTE.length]) }];
  const total = rows.reduce((a, r) => a + r[spec.value], 0);
  const format = spec.money ? fmt.money : fmt.count;
  draw(card, {
    type: 'doughnut',
    data: { labels: rows.map((r) => r[spec.label]), datasets },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: {
        legend: { position: 'right' },
        tooltip: { callbacks: { label: (ctx) => `${ctx.label}: ${format(ctx.parsed)} (${fmt.percent(ctx.parsed / total)})` } },
      },
    },
  });
  return pointsOf(datasets);
}

function pivotLine(card, spec, rows) {
  const labels = [...new Set(rows.map((r) => r[spec.x]))].sort();
  const groups = [...new Set(rows.map((r) => r[spec.group]))];
  const labelOf = new Map(rows.map((r) => [r[spec.group], r.customer_label ?? r[spec.group]]));
  const datasets = groups.map((g, i) => {
    const byX = new Map(rows.filter((r) => r[spec.group] === g).map((r) => [r[spec.x], r[spec.value]]));
    return { label: labelOf.get(g), data: labels.map((x) => byX.get(x) ?? 0), borderColor: PALETTE[i % PALETTE.length], backgroundColor: PALETTE[i % PALETTE.length], pointRadius: 2, borderWidth: 1.5 };
  });
  draw(card, { type: 'line', data: { labels, datasets }, options: baseOptions(spec, valueFormat(spec)) });
  return pointsOf(datasets);
}

function rateLine(card, spec, rows) {
  const datasets = [{ label: 'On time', data: rows.map((r) => r[spec.value]), borderColor: PALETTE[1], backgroundColor: PALETTE[1], pointRadius: 2, borderWidth: 1.5 }];
  const options = baseOptions(spec, fmt.percent);
  options.scales.y = { min: 0, max: 1, ticks: { callback: (v) => fmt.percent(v) } };
  options.plugins.tooltip.callbacks = { label: (ctx) => `On time: ${fmt.percent(ctx.parsed.y)} of ${fmt.count(rows[ctx.dataIndex].delivered)} delivered` };
  draw(card, { type: 'line', data: { labels: rows.map((r) => r[spec.x]), datasets }, options });
  return pointsOf(datasets);
}

/** Pair counts (the server picks the most paired items) as a symmetric grid; colour = orders with both. */
function heatmap(card, spec, rows) {
  const names = new Map(rows.flatMap((r) => [[r.sku_a, r.name_a], [r.sku_b, r.name_b]]));
  const skus = [...names.keys()].sort();
  const short = (sku) => {
    const name = names.get(sku) ?? sku;
    return name.length > 18 ? `${name.slice(0, 17)}…` : name;
  };
  const cells = rows.flatMap((r) => [
    { x: r.sku_a, y: r.sku_b, v: r.orders },
    { x: r.sku_b, y: r.sku_a, v: r.orders },
  ]);
  const max = cells.reduce((a, c) => Math.max(a, c.v), 1);
  // rect points are squares of side 2 × radius: fill one grid step of the shorter side.
  const cellRadius = (ctx) => {
    const area = ctx.chart.chartArea;
    if (!area) return 4;
    return Math.max(2, Math.min(area.width, area.height) / skus.length / 2 - 1);
  };
  // One orientation for both axes: the items run in the same order from the top-left corner,
  // left to right along x and top to bottom along y (a vertical category axis starts at the top),
  // so the grid is a mirror image about its top-left-to-bottom-right diagonal.
  const axis = (horizontal) => ({
    type: 'category',
    labels: skus,
    offset: true,
    grid: { display: false },
    ticks: { autoSkip: false, font: { size: 10 }, callback: (_v, i) => short(skus[i]), ...(horizontal ? { maxRotation: 60, minRotation: 60 } : {}) },
  });
  draw(card, {
    type: 'scatter',
    data: {
      datasets: [{
        label: 'Orders with both items',
        data: cells,
        pointStyle: 'rect',
        pointRadius: cellRadius,
        pointHoverRadius: cellRadius,
        backgroundColor: (ctx) => `rgba(37, 99, 235, ${0.1 + 0.9 * ((ctx.raw?.v ?? 0) / max)})`,
        borderWidth: 0,
      }],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            title: () => '',
            label: (ctx) => `${names.get(ctx.raw.x)} + ${names.get(ctx.raw.y)}: ${fmt.count(ctx.raw.v)} orders`,
          },
        },
      },
      scales: { x: axis(true), y: axis(false) },
    },
  });
  return cells.length;
}

function customersOverview(card, spec, rows) {
  const total = rows.reduce((a, r) => a + r.customers, 0);
  const revenue = rows.reduce((a, r) => a + r.revenue, 0);
  const repeat = rows.find((r) => r.segment === 'Repeat customers') ?? { customers: 0, revenue: 0 };
  card.querySelector('.figures').innerHTML = `<dl class="facts">
      <dt>Customers</dt><dd data-figure="customers" data-value="${total}">${fmt.count(total)}</dd>
      <dt>Repeat customers</dt><dd data-figure="repeat-customers" data-value="${repeat.customers}">${fmt.count(repeat.customers)} (${fmt.percent(total > 0 ? repeat.customers / total : null)})</dd>
      <dt>Their share of revenue</dt><dd data-figure="repeat-revenue-share">${fmt.percent(revenue > 0 ? repeat.revenue / revenue : null)}</dd>
    </dl>`;
  doughnut(card, { ...spec, label: 'segment', value: 'revenue', money: true }, rows);
  return rows.length;
}

function table(card, spec, rows) {
  const head = spec.columns.map((c) => `<th${c.num ? ' class="num"' : ''}>${esc(c.label)}</th>`).join('');
  const body = rows
    .map((r) => `<tr>${spec.columns.map((c) => `<td${c.num ? ' class="num"' : ''}>${esc(c.format ? c.format(r[c.key]) : r[c.key])}</td>`).join('')}</tr>`)
    .join('');
  card.querySelector('.table-box').innerHTML = `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
  return rows.length;
}

const RENDERERS = {
  line: seriesChart,
  bar: seriesChart,
  hbar: horizontalBars,
  'count-and-aov': countAndAov,
  doughnut,
  'pivot-line': pivotLine,
  'rate-line': rateLine,
  heatmap,
  'customers-overview': customersOverview,
  table,
};
