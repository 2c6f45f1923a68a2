import {
  answerNote,
  answeredFields,
  decisionTarget,
  planReferralUpdate,
  syncedFields,
} from '../../src/mapping';
import { referral, snapshot } from './fixtures';

describe('accept / decline a referral Microsoft sent (issue 19)', () => {
  const waiting = referral({ status: 'New', substatus: 'Pending' });

  it('Accept → Active/Accepted, Decline → Closed/Declined with the reason as statusReason', () => {
    expect(decisionTarget(snapshot({ decision: 'Accept' }), waiting).target).toEqual({
      status: 'Active',
      substatus: 'Accepted',
      statusReason: null,
      cause: 'decision',
    });
    const declined = planReferralUpdate(
      waiting,
      snapshot({ decision: 'Decline', declineReason: 'Not a fit for our solutions' }),
    );
    expect(declined.ok && declined.value.patch).toEqual(
      expect.arrayContaining([
        { op: 'replace', path: '/status', value: 'Closed' },
        { op: 'replace', path: '/substatus', value: 'Declined' },
        expect.objectContaining({ path: '/statusReason', value: 'Not a fit for our solutions' }),
      ]),
    );
  });

  it('a decline without a reason is a problem with its fix, never a reasonless decline', () => {
    const result = planReferralUpdate(waiting, snapshot({ decision: 'Decline' }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      expect.objectContaining({
        code: 'decline-reason-missing',
        field: 'Opportunity.Co_Sell_Decline_Reason__c',
      }),
    ]);
  });

  it('leaving the configured on-hold stage accepts; staying in it or closing does not', () => {
    expect(
      decisionTarget(snapshot({ stageName: 'Qualification' }), waiting, 'On Hold').target?.cause,
    ).toBe('stage');
    expect(decisionTarget(snapshot({ stageName: 'On Hold' }), waiting, 'On Hold').target).toBe(
      null,
    );
    expect(
      decisionTarget(snapshot({ stageName: 'Closed Lost', isClosed: true }), waiting, 'On Hold')
        .target,
    ).toBe(null);
  });

  it('asks nothing of a referral that no longer waits (answered elsewhere, expired)', () => {
    for (const status of ['Active', 'Closed']) {
      expect(decisionTarget(snapshot({ decision: 'Accept' }), referral({ status })).target).toBe(
        null,
      );
    }
  });

  it('once Partner Center moved on, the write-back clears the decision and the expiry flag', () => {
    const s = snapshot({ decision: 'Accept', partnerCenterStatus: 'New' });
    expect(answeredFields(s, { status: 'Active' })).toEqual({
      Co_Sell_Decision__c: null,
      Partner_Center_Expires_Soon__c: false,
    });
    expect(answeredFields(s, { status: 'New' })).toBe(null);
    const accepted = referral({ status: 'Active', substatus: 'Accepted' });
    expect(syncedFields(s, accepted, null, new Date(0))).toEqual(
      expect.objectContaining({
        Co_Sell_Decision__c: null,
        Partner_Center_Status__c: 'Active',
        Partner_Center_Substatus__c: 'Accepted',
      }),
    );
  });

  it('the audit names the answer and what asked for it', () => {
    const before = snapshot({
      partnerCenterStatus: 'New',
      decision: 'Decline',
      declineReason: 'Other',
    });
    expect(answerNote(before, { status: 'Closed', substatus: 'Declined' })).toBe(
      'Answered the referral from Microsoft (Co-Sell Decision Decline): Closed/Declined, reason "Other"',
    );
    expect(
      answerNote(snapshot({ partnerCenterStatus: 'New', stageName: 'Qualification' }), {
        status: 'Active',
        substatus: 'Accepted',
      }),
    ).toBe('Answered the referral from Microsoft (Stage Qualification): Active/Accepted');
    expect(answerNote(snapshot({ partnerCenterStatus: 'Active' }), { status: 'Active' })).toBe(
      null,
    );
  });
});
