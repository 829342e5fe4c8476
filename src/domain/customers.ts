/**
 * Customer facts (docs/simulation.md): about 22 % of orders come from customers who ordered before,
 * and a small set of top customers places a large part of those repeat orders.
 */

/** Share of orders placed by a customer who already ordered. */
export const REPEAT_CUSTOMER_SHARE = 0.22;
/** How many customers are "top customers": the first ones to order in a run. */
export const TOP_CUSTOMER_COUNT = 20;
/** Share of the repeat orders that go to the top customers; the rest to any earlier customer. */
export const TOP_CUSTOMER_SHARE_OF_REPEATS = 0.55;
/** Share of customers (with a landline area code) who give a landline instead of a mobile number. */
export const LANDLINE_SHARE = 0.35;
