/**
 * Code lists the validation checks against. Embedded rather than taken from ICU (`Intl`) because
 * ICU also knows user-assigned and historic codes (XK, EU, DEM…) that Partner Center rejects, and
 * its data changes with the Node version.
 */

/**
 * ISO 3166-1 alpha-2: the 249 officially assigned country codes, plus XK (Kosovo): user-assigned
 * in ISO terms, but Microsoft's own country lists (and the European Commission) use it, so a
 * Kosovo customer is a valid Partner Center customer.
 */
export const ISO_3166_ALPHA2: ReadonlySet<string> = new Set(
  (
    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS ' +
    'BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE ' +
    'EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM ' +
    'HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC ' +
    'LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA ' +
    'NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW ' +
    'SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO ' +
    'TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW'
  ).split(' '),
);

/**
 * ISO 4217 active currency codes (List One), without fund codes (BOV, CHE, CHW, CLF, COU, MXV, USN,
 * UYI, UYW), precious metals, SDR/bond units and test codes: none of those is a deal currency.
 */
export const ISO_4217_CURRENCIES: ReadonlySet<string> = new Set(
  (
    'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN ' +
    'BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS ' +
    'GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW ' +
    'KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD ' +
    'NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD ' +
    'SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED ' +
    'VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG'
  ).split(' '),
);

/** Normalises what a seller typed ("se ", "Se") to the code Partner Center expects, or null. */
export function toCountryCode(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const code = value.trim().toUpperCase();
  return ISO_3166_ALPHA2.has(code) ? code : null;
}

export function toCurrencyCode(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const code = value.trim().toUpperCase();
  return ISO_4217_CURRENCIES.has(code) ? code : null;
}

const englishRegionNames = new Intl.DisplayNames(['en'], { type: 'region' });
const COUNTRY_BY_NAME: ReadonlyMap<string, string> = new Map(
  [...ISO_3166_ALPHA2].map((code) => [foldName(englishRegionNames.of(code) ?? code), code]),
);

function foldName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

/**
 * The code for a country written out in English ("Sweden" → SE), so a validation message can say
 * exactly what to type. Only a suggestion: the bridge never rewrites the seller's data.
 */
export function suggestCountryCode(value: string | null | undefined): string | null {
  if (!value) return null;
  return COUNTRY_BY_NAME.get(foldName(value)) ?? null;
}
