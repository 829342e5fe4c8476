/**
 * Order lookup: search by order id, customer id or customer name; one order with its customer,
 * items, path through the topics and the link to its workflow in the Temporal Web UI.
 */
import type { AppConfig } from '../config/config.js';
import type { OrderStatus } from '../domain/order.js';
import { ATTR, SERVICE_NAMES } from '../telemetry/tracing.js';
import { orderWorkflowId } from '../workflows/contract.js';
import { orderPath, type PathStep } from './order-path.js';
import type { OrderSearch } from './params.js';
import { LOOKUP_SQL } from './queries.js';
import type { ReadOnlyDb } from './read-only-db.js';

/** Searches answer at most this many orders (newest first). */
export const SEARCH_LIMIT = 50;

export interface OrderHit {
  order_id: string;
  order_date: string;
  customer_id: string;
  customer_name: string;
  order_status: OrderStatus;
  order_total: number;
  /** What matched: the order id itself, the customer id, or the customer name. */
  matched: 'order' | 'customer' | 'name';
}

export interface SearchResult {
  orders: OrderHit[];
  /** More orders matched than were returned. */
  truncated: boolean;
}

/** `%` and `_` typed by a person are literal characters, not wildcards. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export async function searchOrders(db: ReadOnlyDb, search: OrderSearch): Promise<SearchResult> {
  const rows =
    search.kind === 'id'
      ? await db.query<OrderHit>(LOOKUP_SQL.byId, [search.id, SEARCH_LIMIT + 1])
      : await db.query<OrderHit>(LOOKUP_SQL.byName, [likePattern(search.text), SEARCH_LIMIT + 1]);
  return { orders: rows.slice(0, SEARCH_LIMIT), truncated: rows.length > SEARCH_LIMIT };
}

export interface OrderRow {
  order_id: string;
  order_date: string;
  order_status: OrderStatus;
  payment_status: string | null;
  payment_method: string | null;
  payment_date: string | null;
  shipping_id: string | null;
  express_shipping: boolean;
  shipped_date: string | null;
  eta: string | null;
  finished_date: string | null;
  item_variety: number;
  order_total: number;
  customer: {
    customer_id: string;
    customer_name: string;
    company: string;
    email: string;
    street_address: string;
    lgu: string;
    provincial_code: string;
    contact_number: string;
  };
}

export interface ItemRow {
  line_no: number;
  sku: string;
  item_name: string | null;
  unit_price: number;
  quantity: number;
  discount_percent: number;
  subtotal: number;
}

export interface OrderDetails {
  order: OrderRow;
  items: ItemRow[];
  path: PathStep[];
  temporal: { workflowId: string; url: string };
  /** The order's trace in the Jaeger UI, when JAEGER_UI_URL is set. */
  trace?: { url: string };
}

/** The Jaeger UI search for an order's trace: the generator's root span carries order.id. */
export function traceUrl(jaegerUiUrl: string, orderId: string): { url: string } {
  const query = new URLSearchParams({ service: SERVICE_NAMES.generator, tags: JSON.stringify({ [ATTR.orderId]: orderId }) });
  return { url: `${jaegerUiUrl}/search?${query.toString()}` };
}

/** The Temporal Web UI page of an order's workflow. */
export function workflowUrl(config: AppConfig['temporal'], orderId: string): { workflowId: string; url: string } {
  const workflowId = orderWorkflowId(orderId);
  return { workflowId, url: `${config.uiUrl}/namespaces/${encodeURIComponent(config.namespace)}/workflows/${encodeURIComponent(workflowId)}` };
}

export async function findOrder(db: ReadOnlyDb, orderId: string, config: AppConfig): Promise<OrderDetails | undefined> {
  const [order] = await db.query<OrderRow>(LOOKUP_SQL.order, [orderId]);
  if (!order) return undefined;
  const items = await db.query<ItemRow>(LOOKUP_SQL.items, [orderId]);
  return {
    order,
    items,
    path: orderPath(order, config.kafka.topics),
    temporal: workflowUrl(config.temporal, orderId),
    ...(config.jaegerUiUrl ? { trace: traceUrl(config.jaegerUiUrl, orderId) } : {}),
  };
}
