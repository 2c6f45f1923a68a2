/**
 * The store keys of the recovery sweeps' watermarks (R13). Their own module so the store-only
 * `cosell status` can read them without loading the sweeps (and with them mapping/ and the
 * clients' types).
 */
export const SALESFORCE_WATERMARK = 'salesforce.systemModstamp';
export const PARTNER_CENTER_WATERMARK = 'partner-center.updatedDateTime';
