/**
 * Deal types (create-a-referral, "Deal types"; reference §3):
 *
 * | deal        | help from Microsoft | shared with Microsoft sellers | API                                   |
 * |-------------|---------------------|-------------------------------|---------------------------------------|
 * | Private     | no                  | no                            | Independent, sellers consent false    |
 * | Partner-led | no                  | yes                           | Independent, sellers consent true     |
 * | Co-sell     | yes                 | yes (implied)                 | Shared, consent true, assistanceRequestCode |
 *
 * Sharing with Microsoft sellers cannot be undone (connector-salesforce), and neither can an
 * invitation for help, so once the referral is shared a later "Private" in Salesforce changes
 * nothing and produces a warning instead of a downgrade.
 */
import type { OpportunitySnapshot, Referral, ReferralType } from '../schemas';
import type { Warning } from './result';
import { helpRequested } from './validate';

export type DealType = 'Private' | 'Partner-led' | 'Co-sell';

export interface DealSettings {
  dealType: DealType;
  type: ReferralType;
  shareWithMicrosoftSellers: boolean;
  /** inviteContext.assistanceRequestCode, null when no help is asked. */
  assistanceRequestCode: string | null;
}

export function dealTypeOf(
  snapshot: Pick<OpportunitySnapshot, 'helpNeeded' | 'visibility'>,
): DealType {
  if (helpRequested(snapshot)) return 'Co-sell';
  return snapshot.visibility === 'Shared with Microsoft sellers' ? 'Partner-led' : 'Private';
}

export function dealSettingsFor(
  snapshot: Pick<OpportunitySnapshot, 'helpNeeded' | 'visibility'>,
): DealSettings {
  const dealType = dealTypeOf(snapshot);
  return {
    dealType,
    type: dealType === 'Co-sell' ? 'Shared' : 'Independent',
    shareWithMicrosoftSellers: dealType !== 'Private',
    assistanceRequestCode: dealType === 'Co-sell' ? (snapshot.helpNeeded?.trim() ?? null) : null,
  };
}

export function isSharedWithMicrosoft(referral: Referral): boolean {
  return (
    referral.consent?.consentToShareReferralWithMicrosoftSellers === true ||
    hasHelpRequest(referral)
  );
}

export function hasHelpRequest(referral: Referral): boolean {
  const code = referral.inviteContext?.assistanceRequestCode;
  return typeof code === 'string' && code !== '' && code !== 'Unknown';
}

/**
 * The settings to keep on an existing referral: Salesforce may widen sharing or ask for help, but
 * never narrow what Partner Center already has.
 */
export function oneWayDealSettings(
  snapshot: Pick<OpportunitySnapshot, 'helpNeeded' | 'visibility'>,
  current: Referral,
): { settings: DealSettings; warnings: Warning[] } {
  const wanted = dealSettingsFor(snapshot);
  const warnings: Warning[] = [];
  let share = wanted.shareWithMicrosoftSellers;
  let code = wanted.assistanceRequestCode;
  if (!share && isSharedWithMicrosoft(current)) {
    share = true;
    warnings.push({
      code: 'visibility-downgrade-ignored',
      field: 'Opportunity.Partner_Center_Visibility__c',
      message:
        'The referral is already shared with Microsoft sellers; sharing cannot be undone, so Visibility "Private" was not sent.',
    });
  }
  if (code === null && hasHelpRequest(current)) {
    code = current.inviteContext?.assistanceRequestCode ?? null;
    warnings.push({
      code: 'help-withdrawal-ignored',
      field: 'Opportunity.Co_Sell_Help_Needed__c',
      message: `Microsoft was already asked for help (${String(code)}); clearing How Can Microsoft Help does not withdraw the request.`,
    });
  }
  const dealType: DealType = code !== null ? 'Co-sell' : share ? 'Partner-led' : 'Private';
  return {
    settings: {
      dealType,
      type: dealType === 'Co-sell' ? 'Shared' : 'Independent',
      shareWithMicrosoftSellers: share,
      assistanceRequestCode: code,
    },
    warnings,
  };
}
