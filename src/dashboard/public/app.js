/* global document, window, history, URL, setTimeout, clearTimeout */
/**
 * The page: tabs, the date-range filter (kept in the address bar so a reload or a shared link
 * keeps it), the totals, the pipeline strip and the charts of the open tab, refreshed every few
 * seconds while orders flow. Empty and error states say what to do next.
 */
import { ApiError, getJson } from './api.js';
import { CHARTS, buildCards, renderCard, renderCardError, setTimeContext } from './charts.js';
import { renderComparisons, renderComparisonsError } from './comparisons.js';
import { esc, fmt } from './format.js';
import { initLookup } from './lookup.js';
import { renderPipeline, renderPipelineError } from './strip.js';

const state = {
  tab: 'revenue',
  range: { from: '', to: '' },
  /** The "To" date was not chosen: it follows the simulated today (when the run has a simulated clock). */
  toFollowsClock: true,
  /** The simulated clock's latest answer (null: the run has none). */
  simulated: null,
  /** The customers tab's filter: a customer id, or ''. */
  customer: '',
  built: new Set(),
  refreshSeconds: 10,
  timer: undefined,
  generation: 0,
};

function readAddress() {
  const params = new URL(window.location.href).searchParams;
  state.range.from = params.get('from') ?? '';
  state.range.to = params.get('to') ?? '';
  state.toFollowsClock = state.range.to === '';
  state.customer = params.get('customer') ?? '';
  document.getElementById('customer-id').value = state.customer;
  const tab = params.get('tab');
  if (tab && document.querySelector(`[data-tab-panel="${tab}"]`)) state.tab = tab;
  document.getElementById('range-from').value = state.range.from;
  document.getElementById('range-to').value = state.range.to;
}

function writeAddress() {
  const url = new URL(window.location.href);
  // A "To" that follows the simulated clock stays out of the address: a reload follows it again.
  const to = state.toFollowsClock ? '' : state.range.to;
  for (const [k, v] of Object.entries({ from: state.range.from, to, customer: state.customer, tab: state.tab === 'revenue' ? '' : state.tab })) {
    if (v) url.searchParams.set(k, v);
    else url.searchParams.delete(k);
  }
  history.replaceState(null, '', url);
}

// ---- banner: empty and error states --------------------------------------------------------

function showBanner(kind, html) {
  const banner = document.getElementById('banner');
  banner.dataset.kind = kind;
  banner.innerHTML = html;
  banner.hidden = false;
}

function hideBanner() {
  document.getElementById('banner').hidden = true;
}

function bannerForError(err) {
  if (err instanceof ApiError && err.kind === 'database-unavailable') {
    return `<p><strong>The database is unreachable.</strong> ${esc(err.message)}</p><p>Start it with <code>npm run stack</code>, or check DATABASE_URL / DATABASE_READONLY_URL. This page retries every ${state.refreshSeconds} s.</p>`;
  }
  if (err instanceof ApiError && err.kind === 'missing-views') {
    return `<p><strong>The analytics views are missing.</strong> ${esc(err.message)}</p><p>${esc(err.hint || 'Run the database migrations, then reload.')}</p>`;
  }
  return `<p><strong>The dashboard could not load its data.</strong> ${esc(err.message)}</p>`;
}

function rangeText() {
  const { from, to } = state.range;
  if (from && to) return `between ${from} and ${to}`;
  if (from) return `since ${from}`;
  if (to) return `up to ${to}`;
  return '';
}

// ---- totals --------------------------------------------------------------------------------

const KPI_FORMATS = {
  orders: fmt.count,
  delivered: fmt.count,
  failed: fmt.count,
  revenue: fmt.money,
  profit: fmt.money,
  margin: fmt.percent,
  aov: fmt.moneyCents,
  customers: fmt.count,
};

function renderTotals(summary) {
  for (const [key, format] of Object.entries(KPI_FORMATS)) {
    const el = document.querySelector(`[data-kpi="${key}"] .value`);
    el.textContent = format(summary[key]);
    el.dataset.value = summary[key] === null ? '' : String(summary[key]);
  }
  // The gross margin's gauge: a bar filled to the margin (0–100 %).
  const margin = summary.margin ?? 0;
  document.querySelector('[data-kpi="margin"] .gauge-fill').style.width = `${Math.max(0, Math.min(1, margin)) * 100}%`;
}

// ---- the simulated clock ---------------------------------------------------------------------

/** Manila wall time of an ISO instant, YYYY-MM-DDTHH:mm:ss (the charts' time axes read Manila days). */
function manilaWallTime(iso) {
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 19);
}

/** Reads the simulated now; with one, the header shows it and a "To" left open follows its day. */
async function refreshClock() {
  try {
    state.simulated = (await getJson('/api/clock')).simulated;
  } catch {
    return; // the summary below reports an unreachable server
  }
  const el = document.getElementById('sim-clock');
  if (!state.simulated) {
    el.hidden = true;
    return;
  }
  const wall = manilaWallTime(state.simulated.now);
  el.hidden = false;
  el.dataset.now = state.simulated.now;
  el.innerHTML = `Simulated now <strong>${esc(wall.slice(0, 10))} ${esc(wall.slice(11, 16))}</strong> Manila · ${esc(fmt.count(state.simulated.speed))}× real time`;
  if (state.toFollowsClock) {
    state.range.to = state.simulated.day;
    document.getElementById('range-to').value = state.range.to;
  }
}

/** The time axes' ends: the range's, or the simulated now when "To" follows it. */
function updateTimeContext() {
  const simNow = state.simulated ? manilaWallTime(state.simulated.now) : '';
  const max = state.toFollowsClock && simNow ? simNow : state.range.to ? `${state.range.to}T23:59:59` : '';
  setTimeContext({ min: state.range.from, max, simNow });
}

/** Empty states: nothing in the database at all, or nothing in the chosen dates. */
function emptyMessage(summary) {
  if (summary.ordersAllTime === 0) return 'No orders yet.';
  return `No orders ${rangeText()}; widen the date range.`;
}

function bannerForSummary(summary) {
  if (summary.ordersAllTime === 0) {
    showBanner(
      'empty',
      `<p><strong>No orders in the database yet.</strong> Make some with <code>npm run generate</code> (the worker and the bridge must be running: <code>npm start</code> runs everything).</p><p>This page refreshes by itself every ${state.refreshSeconds} s.</p>`,
    );
  } else if (summary.orders === 0) {
    showBanner('empty', `<p>No orders ${esc(rangeText())}. Choose other dates, or <strong>All time</strong>.</p>`);
  } else {
    hideBanner();
  }
}

// ---- refresh ---------------------------------------------------------------------------------

async function refreshPipeline() {
  try {
    renderPipeline(await getJson('/api/pipeline'));
  } catch (err) {
    renderPipelineError(err.message);
  }
}

async function refreshCharts(summary) {
  if (state.tab === 'lookup') return;
  if (!state.built.has(state.tab)) {
    buildCards(state.tab);
    state.built.add(state.tab);
  }
  const specs = CHARTS.filter((c) => c.tab === state.tab);
  // Cards that share an endpoint (the three province views) share one request.
  const requests = new Map();
  // The customer filter narrows the customers tab.
  const params = state.tab === 'customers' ? { ...state.range, customer: state.customer } : state.range;
  const fetchRows = (endpoint) => {
    if (!requests.has(endpoint)) requests.set(endpoint, getJson(`/api/charts/${endpoint}`, params));
    return requests.get(endpoint);
  };
  await Promise.all(
    specs.map(async (spec) => {
      try {
        const body = await fetchRows(spec.endpoint ?? spec.name);
        renderCard(spec, body.rows, emptyMessage(summary));
      } catch (err) {
        renderCardError(spec, err.message);
      }
    }),
  );
}

async function refresh() {
  const generation = ++state.generation;
  clearTimeout(state.timer);
  const pipeline = refreshPipeline();
  try {
    await refreshClock();
    updateTimeContext();
    // Asked for alongside the totals (a "To" that follows the clock is the server's to know); settled either way, so a failure is never an unhandled rejection.
    const comparisons = getJson('/api/comparisons', { to: state.toFollowsClock ? '' : state.range.to }).then(
      (body) => ({ body }),
      (err) => ({ err }),
    );
    const summary = await getJson('/api/summary', state.range);
    if (generation !== state.generation) return;
    renderTotals(summary);
    bannerForSummary(summary);
    const compared = await comparisons;
    if (compared.err) renderComparisonsError(compared.err.message);
    else renderComparisons(compared.body);
    await refreshCharts(summary);
  } catch (err) {
    if (err instanceof ApiError && err.kind === 'bad-parameter') {
      document.getElementById('range-error').textContent = err.message;
    } else {
      showBanner('error', bannerForError(err));
    }
  }
  await pipeline;
  if (generation !== state.generation) return;
  document.getElementById('refreshed-at').textContent = `updated ${new Date().toLocaleTimeString()}`;
  document.body.dataset.refreshes = String(Number(document.body.dataset.refreshes ?? 0) + 1);
  schedule();
}

function schedule() {
  clearTimeout(state.timer);
  if (document.getElementById('auto-refresh').checked) state.timer = setTimeout(() => void refresh(), state.refreshSeconds * 1000);
}

// ---- controls ------------------------------------------------------------------------------

function selectTab(tab) {
  state.tab = tab;
  for (const button of document.querySelectorAll('[role="tab"]')) button.setAttribute('aria-selected', String(button.dataset.tab === tab));
  for (const panel of document.querySelectorAll('[data-tab-panel]')) panel.hidden = panel.dataset.tabPanel !== tab;
  writeAddress();
  void refresh();
}

function initControls() {
  for (const button of document.querySelectorAll('[role="tab"]')) button.addEventListener('click', () => selectTab(button.dataset.tab));
  document.getElementById('range').addEventListener('submit', (event) => {
    event.preventDefault();
    const from = document.getElementById('range-from').value;
    const to = document.getElementById('range-to').value;
    if (from && to && from > to) {
      document.getElementById('range-error').textContent = '"From" is after "To".';
      return;
    }
    document.getElementById('range-error').textContent = '';
    state.range = { from, to };
    // A "To" left at the simulated today keeps following the clock.
    state.toFollowsClock = to === '' || (state.simulated !== null && to === state.simulated.day);
    writeAddress();
    void refresh();
  });
  document.getElementById('customer-filter').addEventListener('submit', (event) => {
    event.preventDefault();
    const id = document.getElementById('customer-id').value.trim();
    if (id !== '' && !/^\d{1,19}$/.test(id)) {
      document.getElementById('customer-error').textContent = 'A customer id is digits only.';
      return;
    }
    document.getElementById('customer-error').textContent = '';
    state.customer = id;
    writeAddress();
    void refresh();
  });
  document.getElementById('customer-clear').addEventListener('click', () => {
    document.getElementById('customer-id').value = '';
    document.getElementById('customer-error').textContent = '';
    state.customer = '';
    writeAddress();
    void refresh();
  });
  document.getElementById('range-all').addEventListener('click', () => {
    document.getElementById('range-from').value = '';
    document.getElementById('range-to').value = '';
    document.getElementById('range-error').textContent = '';
    state.range = { from: '', to: '' };
    state.toFollowsClock = true;
    writeAddress();
    void refresh();
  });
  document.getElementById('auto-refresh').addEventListener('change', schedule);
}

async function init() {
  readAddress();
  initControls();
  initLookup();
  try {
    const settings = await getJson('/api/settings');
    state.refreshSeconds = settings.refreshSeconds;
    document.getElementById('refresh-seconds').textContent = String(settings.refreshSeconds);
  } catch {
    // The first refresh below reports what is wrong.
  }
  selectTab(state.tab);
}

void init();
