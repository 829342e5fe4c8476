/* global document */
/**
 * The live pipeline strip: orders per stage right now, from Temporal visibility, and the bridge's
 * consumer lag, from Kafka (GET /api/pipeline).
 */
import { fmt } from './format.js';

function setStage(strip, stage, text, value) {
  const el = strip.querySelector(`[data-stage="${stage}"] .value`);
  el.textContent = text;
  if (value === undefined) delete el.dataset.value;
  else el.dataset.value = String(value);
}

export function renderPipeline(snapshot) {
  const strip = document.getElementById('pipeline');
  const status = document.getElementById('pipeline-status');
  const reasons = document.getElementById('failed-reasons');
  renderBridgeLag(strip, snapshot.bridgeLag);
  if (!snapshot.available) {
    strip.dataset.state = 'unavailable';
    delete strip.dataset.workers;
    for (const stage of ['placed', 'paid', 'shipped', 'finished', 'failed', 'failure-rate']) setStage(strip, stage, '–');
    reasons.textContent = '';
    status.textContent = `Live counts unavailable: ${snapshot.reason}. The charts below read Postgres and still work.`;
    return;
  }
  const c = snapshot.counts;
  strip.dataset.state = 'ready';
  setStage(strip, 'placed', fmt.count(c.placed), c.placed);
  setStage(strip, 'paid', fmt.count(c.paid), c.paid);
  setStage(strip, 'shipped', fmt.count(c.shipped), c.shipped);
  setStage(strip, 'finished', fmt.count(c.finished), c.finished);
  setStage(strip, 'failed', fmt.count(snapshot.failedTotal), snapshot.failedTotal);
  setStage(strip, 'failure-rate', fmt.percent(snapshot.failureRate), snapshot.failureRate ?? '');
  reasons.textContent = Object.entries(c.failed)
    .map(([reason, n]) => `${reason} ${fmt.count(n)}`)
    .join(' · ');
  strip.dataset.workers = snapshot.workers.state;
  status.textContent = `Workflows on ${snapshot.scope}, counted at ${snapshot.at.slice(11, 19)} UTC. ${workersText(snapshot.workers, c.waiting)}`;
}

/**
 * Who works the queue (Temporal's DescribeTaskQueue): no poller means no worker; pollers with tasks
 * or started workflows waiting mean a backlog the workers are busy with.
 */
function workersText(w, waiting) {
  const pollers = `${fmt.count(w.workflowPollers)} workflow and ${fmt.count(w.activityPollers)} activity pollers`;
  const backlog = w.backlog === null ? '' : `${fmt.count(w.backlog)} task${w.backlog === 1 ? '' : 's'} queued${w.backlogAgeSeconds ? `, the oldest for ${fmt.count(w.backlogAgeSeconds)} s` : ''}`;
  const started = waiting > 0 ? `${fmt.count(waiting)} started, not yet picked up` : '';
  if (w.state === 'no-worker') {
    const what = [started, backlog && w.backlog > 0 ? backlog : ''].filter(Boolean).join('; ');
    return `No worker polls this task queue${what ? ` (${what})` : ''}: start one (npm run worker, or npm start).`;
  }
  if (w.state === 'backlog') return `Backlog: ${[started, backlog].filter(Boolean).join('; ')}; the workers (${pollers}) are busy with it.`;
  return `Workers: ${pollers}; nothing waiting.`;
}

/**
 * Orders the bridge's group has not committed to Postgres yet (high watermark minus committed
 * offset, src/kafka/consumer-lag.ts): near 0 when healthy, rising in a burst and coming back.
 */
function renderBridgeLag(strip, lag) {
  const hint = document.getElementById('bridge-lag-worst');
  if (!lag || !lag.available) {
    setStage(strip, 'bridge-lag', '–');
    hint.textContent = lag ? `unknown: ${lag.reason}` : 'orders not yet in Postgres';
    return;
  }
  setStage(strip, 'bridge-lag', fmt.count(lag.total), lag.total);
  hint.textContent = lag.worst && lag.worst.lag > 0 ? `worst ${lag.worst.topic}[${lag.worst.partition}] ${fmt.count(lag.worst.lag)}` : 'orders not yet in Postgres';
}

export function renderPipelineError(message) {
  renderPipeline({ available: false, reason: message });
}
