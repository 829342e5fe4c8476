/* global document */
/**
 * Order lookup: search by order id, customer id or customer name (GET /api/orders?q=), then one
 * order's details, items, its path through the topics, and the link to its workflow in the
 * Temporal Web UI (GET /api/orders/<id>).
 */
import { getJson } from './api.js';
import { esc, fmt } from './format.js';

const FAILED = new Set(['Timed Out', 'Cancelled', 'Returned']);

function pill(status) {
  return `<span class="status-pill ${FAILED.has(status) ? 'failed' : esc(status)}">${esc(status)}</span>`;
}

function showMessage(text, isError = false) {
  const message = document.getElementById('lookup-message');
  message.textContent = text;
  message.classList.toggle('field-error', isError);
  message.classList.toggle('muted', !isError);
}

export function initLookup() {
  document.getElementById('lookup').addEventListener('submit', (event) => {
    event.preventDefault();
    void search(document.getElementById('lookup-q').value);
  });
}

async function search(q) {
  const results = document.getElementById('lookup-results');
  document.getElementById('order-details').hidden = true;
  results.innerHTML = '';
  let body;
  try {
    body = await getJson('/api/orders', { q });
  } catch (err) {
    showMessage(err.message, true);
    return;
  }
  const orders = body.orders;
  if (orders.length === 0) {
    showMessage(`No order or customer matches "${q.trim()}". Orders appear here once they have finished or failed.`);
    return;
  }
  const more = body.truncated ? ` (the first ${orders.length} shown; refine the search)` : '';
  showMessage(`${orders.length} order${orders.length === 1 ? '' : 's'} found${more}.`);
  results.innerHTML = `<div class="table-box"><table><thead><tr><th>Order</th><th>Placed</th><th>Customer</th><th>Status</th><th class="num">Total</th></tr></thead><tbody>${orders
    .map(
      (o) =>
        `<tr data-order-id="${esc(o.order_id)}"><td>${esc(o.order_id)}</td><td>${fmt.dateTime(o.order_date)}</td><td>${esc(o.customer_name)} <span class="muted">${esc(o.customer_id)}</span></td><td>${pill(o.order_status)}</td><td class="num">${fmt.moneyCents(o.order_total)}</td></tr>`,
    )
    .join('')}</tbody></table></div>`;
  for (const row of results.querySelectorAll('tr[data-order-id]')) row.addEventListener('click', () => void showOrder(row.dataset.orderId));
  // The number typed may be an order id and a customer id at once: the order itself opens.
  const exact = orders.find((o) => o.matched === 'order');
  if (exact || orders.length === 1) await showOrder((exact ?? orders[0]).order_id);
}

async function showOrder(orderId) {
  const details = document.getElementById('order-details');
  let body;
  try {
    body = await getJson(`/api/orders/${encodeURIComponent(orderId)}`);
  } catch (err) {
    showMessage(err.message, true);
    return;
  }
  details.innerHTML = orderHtml(body);
  details.hidden = false;
  for (const row of document.querySelectorAll('#lookup-results tr[data-order-id]')) row.classList.toggle('selected', row.dataset.orderId === orderId);
  details.scrollIntoView({ block: 'nearest' });
}

function orderHtml({ order, items, path, temporal, trace }) {
  const c = order.customer;
  const itemRows = items
    .map(
      (i) =>
        `<tr><td>${i.line_no}</td><td>${esc(i.sku)}</td><td>${esc(i.item_name ?? '')}</td><td class="num">${fmt.count(i.quantity)}</td><td class="num">${fmt.moneyCents(i.unit_price)}</td><td class="num">${fmt.count(i.discount_percent)} %</td><td class="num">${fmt.moneyCents(i.subtotal)}</td></tr>`,
    )
    .join('');
  const steps = path
    .map(
      (s) =>
        `<li class="${s.state}"><strong>${esc(s.label)}</strong> ${s.date ? fmt.dateTime(s.date) : ''}<br /><span class="topic">${esc(s.topic ?? '')}</span> ${s.note ? `<span class="muted">${esc(s.note)}</span>` : ''}</li>`,
    )
    .join('');
  return `
    <h2>Order ${esc(order.order_id)} ${pill(order.order_status)}</h2>
    <p><a class="temporal-link" href="${esc(temporal.url)}" target="_blank" rel="noopener" data-workflow-id="${esc(temporal.workflowId)}">Open workflow ${esc(temporal.workflowId)} in the Temporal Web UI ↗</a>${
      trace ? ` · <a class="trace-link" href="${esc(trace.url)}" target="_blank" rel="noopener">Open its trace in Jaeger ↗</a>` : ''
    }</p>
    <div class="details-grid">
      <section class="card"><h2>Order</h2><dl class="facts">
        <dt>Placed</dt><dd>${fmt.dateTime(order.order_date)}</dd>
        <dt>Total</dt><dd data-field="order_total">${fmt.moneyCents(order.order_total)}</dd>
        <dt>Items</dt><dd>${fmt.count(order.item_variety)} distinct</dd>
        <dt>Payment</dt><dd>${esc(order.payment_method ?? 'none')} · ${esc(order.payment_status ?? '')}</dd>
        <dt>Shipping</dt><dd>${order.express_shipping ? 'Express' : 'Standard'}${order.shipping_id ? ` · ${esc(order.shipping_id)}` : ''}</dd>
        <dt>ETA</dt><dd>${fmt.dateTime(order.eta)}</dd>
      </dl></section>
      <section class="card"><h2>Customer</h2><dl class="facts">
        <dt>Name</dt><dd>${esc(c.customer_name)}</dd>
        <dt>Id</dt><dd>${esc(c.customer_id)}</dd>
        <dt>Company</dt><dd>${esc(c.company)}</dd>
        <dt>Email</dt><dd>${esc(c.email)}</dd>
        <dt>Phone</dt><dd>${esc(c.contact_number)}</dd>
        <dt>Address</dt><dd>${esc(c.street_address)}, ${esc(c.lgu)} (${esc(c.provincial_code)})</dd>
      </dl></section>
      <section class="card"><h2>Path through the topics</h2><ol class="path">${steps}</ol></section>
    </div>
    <section class="card"><h2>Items</h2><table><thead><tr><th>#</th><th>SKU</th><th>Item</th><th class="num">Qty</th><th class="num">Unit price</th><th class="num">Discount</th><th class="num">Subtotal</th></tr></thead><tbody>${itemRows}</tbody></table></section>`;
}
