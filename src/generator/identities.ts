/**
 * Makes new customers: Philippine names, a company, a street address with its barangay, an LGU
 * drawn from the weighted groups, a landline or mobile number, and an email built from name and
 * company. faker is slow per call (≈13 µs for a company name), so it fills pools once per run from
 * the seed, and each customer is then assembled from the pools with the run's own generator.
 */
import { Faker, base, en } from '@faker-js/faker';
import { LANDLINE_SHARE } from '../domain/customers.js';
import { LGU_GROUPS, LGU_GROUP_WEIGHTS, LGUS_BY_GROUP, type Lgu } from '../domain/geography.js';
import type { CustomerInfo } from '../domain/order.js';
import { Rng, WeightedTable, hash32 } from '../domain/random.js';
import {
  BARANGAYS, COMPANY_SUFFIXES, EMAIL_TLDS, FIRST_NAMES, LAST_NAMES, MOBILE_PREFIXES, STREET_NAMES, STREET_SUFFIXES,
} from './ph-names.js';

export interface IdentityPools {
  companies: readonly string[];
  streets: readonly string[];
}

const POOL_SIZE = 500;
/** Most companies and streets sound local; faker adds international-sounding ones. */
const FAKER_SHARE = 0.3;

/** Company and street pools for one run seed (the same seed gives the same pools). */
export function buildIdentityPools(seed: string, size = POOL_SIZE): IdentityPools {
  const faker = new Faker({ locale: [en, base] });
  faker.seed(hash32(`${seed}|faker`));
  const rng = Rng.keyed(seed, 'identity-pools');
  const companies = new Set<string>();
  const streets = new Set<string>();
  while (companies.size < size) {
    companies.add(rng.chance(FAKER_SHARE) ? faker.company.name() : `${rng.pick(LAST_NAMES)} ${rng.pick(COMPANY_SUFFIXES)}`);
  }
  while (streets.size < size) {
    streets.add(rng.chance(FAKER_SHARE) ? faker.location.street() : `${rng.pick(STREET_NAMES)} ${rng.pick(STREET_SUFFIXES)}`);
  }
  return { companies: [...companies], streets: [...streets] };
}

const GROUP_TABLE = new WeightedTable(LGU_GROUPS.map((g) => [g, LGU_GROUP_WEIGHTS[g]] as const));

/** An LGU: first its group by weight, then uniformly within the group. */
export function drawLgu(rng: Rng): Lgu {
  return rng.pick(LGUS_BY_GROUP[GROUP_TABLE.pick(rng)]);
}

/** Lower-case ASCII letters and digits only: "Dela Cruz" → "delacruz", "Peña" → "pena". */
export function slug(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]/g, '');
}

function emailFor(rng: Rng, first: string, last: string, company: string): string {
  // "Ma. Theresa" goes by Theresa; "John Paul" by John.
  const given = first.replace(/^Ma\.\s+/, '');
  const f = slug(given.split(' ')[0] ?? given);
  const l = slug(last);
  const local = rng.pick([`${f}.${l}`, `${f.charAt(0)}${l}`, `${f}${l}${rng.int(1, 99)}`, `${f}_${l}`]);
  const words = company.split(/[\s,&-]+/).map(slug).filter((w) => w.length > 0);
  const domain = words.slice(0, 2).join('') || 'mail';
  return `${local}@${domain}.${rng.pick(EMAIL_TLDS)}`;
}

function phoneFor(rng: Rng, lgu: Lgu): string {
  if (lgu.areaCode !== undefined && rng.chance(LANDLINE_SHARE)) {
    // Metro Manila (and Rizal) numbers have 8 digits, starting with 8; provincial ones have 7.
    return lgu.areaCode === '2' ? `(02) 8${rng.digits(3)} ${rng.digits(4)}` : `(0${lgu.areaCode}) ${rng.digits(3)} ${rng.digits(4)}`;
  }
  return `+63 ${rng.pick(MOBILE_PREFIXES)} ${rng.digits(3)} ${rng.digits(4)}`;
}

function nameFor(rng: Rng): { first: string; last: string; full: string } {
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const middle = rng.chance(0.4) ? ` ${String.fromCharCode(65 + rng.int(0, 25))}.` : '';
  return { first, last, full: `${first}${middle} ${last}` };
}

/** A brand-new customer with the given id. */
export function newCustomer(rng: Rng, pools: IdentityPools, customerId: string): CustomerInfo {
  const { first, last, full } = nameFor(rng);
  const company = rng.pick(pools.companies);
  const lgu = drawLgu(rng);
  return {
    customer_id: customerId,
    customer_name: full,
    company,
    email: emailFor(rng, first, last, company),
    street_address: `${rng.int(1, 2999)} ${rng.pick(pools.streets)}, Brgy. ${rng.pick(BARANGAYS)}`,
    lgu: lgu.name,
    provincial_code: lgu.code,
    contact_number: phoneFor(rng, lgu),
  };
}
