/** Number formats of the page: pesos, counts, percentages, hours, dates. */

const peso = new Intl.NumberFormat('en-PH', { style: 'currency', currency: 'PHP', maximumFractionDigits: 0 });
const pesoCents = new Intl.NumberFormat('en-PH', { style: 'currency', currency: 'PHP', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const count = new Intl.NumberFormat('en-PH', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-PH', { maximumFractionDigits: 1 });
const compact = new Intl.NumberFormat('en-PH', { notation: 'compact', maximumFractionDigits: 1 });

export const fmt = {
  money: (v) => (v === null || v === undefined ? '–' : peso.format(v)),
  moneyCents: (v) => (v === null || v === undefined ? '–' : pesoCents.format(v)),
  moneyCompact: (v) => (v === null || v === undefined ? '–' : `₱${compact.format(v)}`),
  count: (v) => (v === null || v === undefined ? '–' : count.format(v)),
  decimal: (v) => (v === null || v === undefined ? '–' : decimal.format(v)),
  percent: (v) => (v === null || v === undefined ? '–' : `${decimal.format(v * 100)} %`),
  hours: (v) => (v === null || v === undefined ? '–' : `${decimal.format(v)} h`),
  /** An ISO timestamp as "2025-03-14 08:15 UTC". */
  dateTime: (iso) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : '–'),
};

/** Escapes text for innerHTML. */
export function esc(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}
