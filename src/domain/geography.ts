/**
 * Where customers live (docs/simulation.md): local government units (a city of Metro Manila, or a
 * province) in five weighted groups, each with its ISO 3166-2:PH code (Metro Manila = PH-00).
 * Pure data: the workflow sandbox may import it.
 */

export const LGU_GROUPS = ['metro_manila', 'large', 'medium', 'small', 'poorer'] as const;
export type LguGroup = (typeof LGU_GROUPS)[number];

/** Share of customers per group; an LGU inside a group is drawn uniformly. */
export const LGU_GROUP_WEIGHTS: Readonly<Record<LguGroup, number>> = {
  metro_manila: 0.04,
  large: 0.27,
  medium: 0.25,
  small: 0.32,
  poorer: 0.12,
};

export interface Lgu {
  /** City (Metro Manila) or province name, as stored in customer_info.lgu. */
  name: string;
  /** Province, as shown in the Province search attribute; "Metro Manila" for its cities. */
  province: string;
  /** ISO 3166-2:PH code. */
  code: string;
  group: LguGroup;
  /** Landline area code without the trunk 0; absent where customers give mobile numbers only. */
  areaCode?: string;
}

export const METRO_MANILA = 'Metro Manila';
export const METRO_MANILA_CODE = 'PH-00';

const METRO_MANILA_CITIES = [
  'Manila', 'Quezon City', 'Makati', 'Pasig', 'Taguig', 'Caloocan', 'Mandaluyong', 'Marikina', 'Parañaque',
  'Las Piñas', 'Muntinlupa', 'Valenzuela', 'Malabon', 'Navotas', 'San Juan', 'Pasay', 'Pateros',
];

type ProvinceRow = readonly [name: string, code: string, areaCode?: string];

const PROVINCES: Readonly<Record<Exclude<LguGroup, 'metro_manila'>, readonly ProvinceRow[]>> = {
  large: [
    ['Cavite', 'PH-CAV', '46'], ['Laguna', 'PH-LAG', '49'], ['Bulacan', 'PH-BUL', '44'], ['Cebu', 'PH-CEB', '32'],
    ['Pampanga', 'PH-PAM', '45'], ['Rizal', 'PH-RIZ', '2'], ['Batangas', 'PH-BTG', '43'],
    ['Pangasinan', 'PH-PAN', '75'], ['Negros Occidental', 'PH-NEC', '34'], ['Quezon', 'PH-QUE', '42'],
    ['Iloilo', 'PH-ILI', '33'], ['Nueva Ecija', 'PH-NUE', '44'], ['Davao del Sur', 'PH-DAS', '82'],
  ],
  medium: [
    ['Leyte', 'PH-LEY', '53'], ['Isabela', 'PH-ISA', '78'], ['Camarines Sur', 'PH-CAS', '54'], ['Bohol', 'PH-BOH', '38'],
    ['Misamis Oriental', 'PH-MSR', '88'], ['Tarlac', 'PH-TAR', '45'], ['Albay', 'PH-ALB', '52'],
    ['Zamboanga del Sur', 'PH-ZAS', '62'], ['South Cotabato', 'PH-SCO', '83'], ['Cagayan', 'PH-CAG', '78'],
    ['Davao del Norte', 'PH-DAV', '84'], ['Cotabato', 'PH-NCO', '64'], ['Bukidnon', 'PH-BUK', '88'],
    ['Palawan', 'PH-PLW', '48'], ['Negros Oriental', 'PH-NER', '35'], ['Zambales', 'PH-ZMB', '47'],
    ['Bataan', 'PH-BAN', '47'], ['La Union', 'PH-LUN', '72'], ['Ilocos Sur', 'PH-ILS', '77'], ['Benguet', 'PH-BEN', '74'],
  ],
  small: [
    ['Ilocos Norte', 'PH-ILN'], ['Nueva Vizcaya', 'PH-NUV'], ['Aurora', 'PH-AUR'], ['Quirino', 'PH-QUI'],
    ['Oriental Mindoro', 'PH-MDR'], ['Occidental Mindoro', 'PH-MDC'], ['Marinduque', 'PH-MAD'], ['Romblon', 'PH-ROM'],
    ['Aklan', 'PH-AKL'], ['Antique', 'PH-ANT'], ['Capiz', 'PH-CAP'], ['Guimaras', 'PH-GUI'], ['Siquijor', 'PH-SIG'],
    ['Biliran', 'PH-BIL'], ['Southern Leyte', 'PH-SLE'], ['Camiguin', 'PH-CAM'], ['Misamis Occidental', 'PH-MSC'],
    ['Agusan del Norte', 'PH-AGN'], ['Surigao del Norte', 'PH-SUN'], ['Batanes', 'PH-BTN'], ['Catanduanes', 'PH-CAT'],
    ['Camarines Norte', 'PH-CAN'], ['Sorsogon', 'PH-SOR'], ['Kalinga', 'PH-KAL'], ['Mountain Province', 'PH-MOU'],
    ['Davao Oriental', 'PH-DAO'], ['Davao de Oro', 'PH-COM'], ['Lanao del Norte', 'PH-LAN'],
    ['Zamboanga Sibugay', 'PH-ZSI'],
  ],
  poorer: [
    ['Sulu', 'PH-SLU'], ['Lanao del Sur', 'PH-LAS'], ['Basilan', 'PH-BAS'], ['Tawi-Tawi', 'PH-TAW'],
    ['Sultan Kudarat', 'PH-SUK'], ['Sarangani', 'PH-SAR'], ['Zamboanga del Norte', 'PH-ZAN'],
    ['Northern Samar', 'PH-NSA'], ['Eastern Samar', 'PH-EAS'], ['Samar', 'PH-WSA'], ['Masbate', 'PH-MAS'],
    ['Agusan del Sur', 'PH-AGS'], ['Surigao del Sur', 'PH-SUR'], ['Dinagat Islands', 'PH-DIN'], ['Apayao', 'PH-APA'],
    ['Abra', 'PH-ABR'], ['Ifugao', 'PH-IFU'],
  ],
};

function buildLgus(): Readonly<Record<LguGroup, readonly Lgu[]>> {
  const metro: Lgu[] = METRO_MANILA_CITIES.map((name) => ({
    name, province: METRO_MANILA, code: METRO_MANILA_CODE, group: 'metro_manila', areaCode: '2',
  }));
  const provinces = (group: Exclude<LguGroup, 'metro_manila'>): Lgu[] =>
    PROVINCES[group].map(([name, code, areaCode]) => ({
      name, province: name, code, group, ...(areaCode ? { areaCode } : {}),
    }));
  return {
    metro_manila: metro,
    large: provinces('large'),
    medium: provinces('medium'),
    small: provinces('small'),
    poorer: provinces('poorer'),
  };
}

/** Every LGU, by group. */
export const LGUS_BY_GROUP: Readonly<Record<LguGroup, readonly Lgu[]>> = buildLgus();

export const ALL_LGUS: readonly Lgu[] = LGU_GROUPS.flatMap((g) => LGUS_BY_GROUP[g]);

const PROVINCE_BY_CODE: ReadonlyMap<string, string> = new Map(ALL_LGUS.map((l) => [l.code, l.province]));
const GROUP_BY_CODE: ReadonlyMap<string, LguGroup> = new Map(ALL_LGUS.map((l) => [l.code, l.group]));

/** Province name of an ISO 3166-2:PH code ("Metro Manila" for PH-00), or undefined if unknown. */
export function provinceForCode(code: string): string | undefined {
  return PROVINCE_BY_CODE.get(code);
}

/** Weight group of an ISO 3166-2:PH code, or undefined if unknown. */
export function groupForCode(code: string): LguGroup | undefined {
  return GROUP_BY_CODE.get(code);
}
