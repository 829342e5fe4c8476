/**
 * The SKU catalogue (docs/simulation.md): 55 SKUs priced 25..3,450 PHP, each with a unit cost below
 * its price. The single source of truth: the generator draws from it and the sku_info SQL seed is
 * generated from it, so keep the `Sku` shape stable. Pure data: the workflow sandbox may import it.
 */

export const CATEGORIES = [
  'Office Supplies',
  'Electronics',
  'Home Appliances',
  'Home & Kitchen',
  'Personal Care',
  'Groceries',
] as const;
export type Category = (typeof CATEGORIES)[number];

export interface Sku {
  sku: string;
  name: string;
  category: Category;
  /** List price in PHP, two decimals, before any sale discount. */
  unitPrice: number;
  /** What the shop pays per unit, PHP; always below unitPrice (profit = price − cost). */
  unitCost: number;
}

type Row = readonly [name: string, category: Category, unitPrice: number, unitCost: number];

const ROWS: readonly Row[] = [
  ['Ballpen Black (pack of 3)', 'Office Supplies', 25.0, 15.5],
  ['Pencil HB (dozen)', 'Office Supplies', 48.0, 30.0],
  ['Yellow Pad Paper (80 leaves)', 'Office Supplies', 55.0, 34.0],
  ['Correction Tape', 'Office Supplies', 39.75, 24.0],
  ['Stapler No. 35', 'Office Supplies', 145.0, 92.0],
  ['Bond Paper A4 (ream)', 'Office Supplies', 265.0, 205.0],
  ['Bond Paper Long (ream)', 'Office Supplies', 289.0, 222.0],
  ['Permanent Marker (box of 12)', 'Office Supplies', 180.0, 118.0],
  ['Sticky Notes 3x3 (pack of 4)', 'Office Supplies', 89.5, 55.0],
  ['Expanded Envelope Long (10 pcs)', 'Office Supplies', 120.0, 78.0],
  ['Scientific Calculator', 'Office Supplies', 695.0, 480.0],
  ['Document Filing Box', 'Office Supplies', 215.0, 140.0],
  ['USB Flash Drive 32GB', 'Electronics', 299.0, 190.0],
  ['Wireless Mouse', 'Electronics', 449.0, 285.0],
  ['USB Keyboard', 'Electronics', 525.0, 340.0],
  ['Extension Cord 4-Gang', 'Electronics', 385.0, 245.0],
  ['AA Batteries (4 pcs)', 'Electronics', 99.0, 64.0],
  ['Phone Charger 20W', 'Electronics', 650.0, 410.0],
  ['Earphones with Mic', 'Electronics', 275.0, 160.0],
  ['Power Bank 10000mAh', 'Electronics', 1199.0, 820.0],
  ['Bluetooth Speaker', 'Electronics', 1850.0, 1270.0],
  ['Wi-Fi Router', 'Electronics', 2299.0, 1650.0],
  ['LED Desk Lamp', 'Electronics', 899.0, 590.0],
  ['Electric Fan 16-inch', 'Home Appliances', 1595.0, 1120.0],
  ['Rice Cooker 1.8L', 'Home Appliances', 1890.0, 1320.0],
  ['Electric Kettle 1.7L', 'Home Appliances', 985.0, 640.0],
  ['Flat Iron', 'Home Appliances', 1075.0, 720.0],
  ['Air Cooler 20L', 'Home Appliances', 3450.0, 2480.0],
  ['Blender 1.5L', 'Home Appliances', 2150.0, 1480.0],
  ['Turbo Broiler', 'Home Appliances', 2895.0, 2050.0],
  ['Microwave Oven 20L', 'Home Appliances', 3199.0, 2300.0],
  ['Dishwashing Liquid 250ml', 'Home & Kitchen', 45.0, 29.5],
  ['Laundry Detergent Powder 1kg', 'Home & Kitchen', 115.0, 82.0],
  ['Bath Towel', 'Home & Kitchen', 189.0, 115.0],
  ['Plastic Storage Box 60L', 'Home & Kitchen', 399.0, 255.0],
  ['Non-stick Frying Pan 26cm', 'Home & Kitchen', 575.0, 360.0],
  ['Stainless Cooking Pot Set', 'Home & Kitchen', 1450.0, 980.0],
  ['Drinking Glass (set of 6)', 'Home & Kitchen', 165.0, 98.0],
  ['Insulated Tumbler 500ml', 'Home & Kitchen', 349.0, 210.0],
  ['Walis Tambo (soft broom)', 'Home & Kitchen', 95.0, 58.0],
  ['Mop with Bucket', 'Home & Kitchen', 620.0, 395.0],
  ['Trash Bin 20L', 'Home & Kitchen', 245.0, 150.0],
  ['Bath Soap (pack of 3)', 'Personal Care', 79.0, 52.0],
  ['Shampoo 340ml', 'Personal Care', 165.5, 112.0],
  ['Toothpaste 150g', 'Personal Care', 89.0, 58.5],
  ['Isopropyl Alcohol 70% 500ml', 'Personal Care', 72.0, 46.0],
  ['Face Mask (box of 50)', 'Personal Care', 135.0, 80.0],
  ['Sunscreen SPF50', 'Personal Care', 299.0, 190.0],
  ['Hair Dryer', 'Personal Care', 849.0, 545.0],
  ['Instant Coffee 3-in-1 (30 sachets)', 'Groceries', 215.0, 160.0],
  ['Canned Sardines 155g', 'Groceries', 26.5, 19.0],
  ['Instant Noodles (pack of 10)', 'Groceries', 105.0, 79.0],
  ['Jasmine Rice 5kg', 'Groceries', 349.0, 275.0],
  ['Cooking Oil 1L', 'Groceries', 119.0, 92.0],
  ['Dried Mangoes 200g', 'Groceries', 155.0, 105.0],
];

/** SKU codes are SKU-1001 … SKU-1055, in catalogue order. */
export const CATALOGUE: readonly Sku[] = Object.freeze(
  ROWS.map(([name, category, unitPrice, unitCost], i) =>
    Object.freeze({ sku: `SKU-${1001 + i}`, name, category, unitPrice, unitCost }),
  ),
);

const BY_SKU: ReadonlyMap<string, Sku> = new Map(CATALOGUE.map((s) => [s.sku, s]));

/** The catalogue entry of a SKU code, or undefined for an unknown code. */
export function findSku(sku: string): Sku | undefined {
  return BY_SKU.get(sku);
}
