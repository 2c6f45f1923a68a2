import { desiredReferralState, diffReferral, planReferralUpdate } from '../../src/mapping';
import { referral, snapshot } from './fixtures';

function plan(current = referral(), s = snapshot()) {
  const result = planReferralUpdate(current, s);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result;
}

describe('diffReferral / planReferralUpdate', () => {
  it('R1: an unchanged opportunity produces an empty patch (no call)', () => {
    expect(plan().value.patch).toEqual([]);
  });

  it('R1: ignores representation differences Partner Center introduces', () => {
    const echoed = referral({
      details: {
        ...referral().details,
        dealValue: '50000' as unknown as number, // the docs' own samples send numbers as strings
        closingDateTime: '2026-03-31T00:00:00.0000000Z',
        notes: 'Lift and shift of 40 VMs  ',
      },
    });
    expect(plan(echoed).value.patch).toEqual([]);
  });

  it('R1: sends only the changed paths', () => {
    const s = snapshot({ amount: 75000, description: 'Now 60 VMs' });
    expect(plan(referral(), s).value.patch).toEqual([
      { op: 'replace', path: '/details/dealValue', value: 75000 },
      { op: 'replace', path: '/details/notes', value: 'Now 60 VMs' },
    ]);
  });

  it('uses add for a missing key and adds a missing parent object whole', () => {
    const current = referral({ inviteContext: undefined, externalReferenceId: undefined });
    const s = snapshot({ helpNeeded: 'QuotesOrLicensing' });
    expect(plan(current, s).value.patch).toEqual([
      { op: 'add', path: '/externalReferenceId', value: '006000000000001AAA' },
      { op: 'replace', path: '/consent/consentToShareReferralWithMicrosoftSellers', value: true },
      { op: 'add', path: '/inviteContext', value: { assistanceRequestCode: 'QuotesOrLicensing' } },
    ]);
  });

  it('R18: writes the opportunity id back to a Microsoft-created referral as its CRM id', () => {
    const current = referral({ externalReferenceId: null });
    expect(plan(current).value.patch).toEqual([
      { op: 'replace', path: '/externalReferenceId', value: '006000000000001AAA' },
    ]);
  });

  it('Closed Won → Closed/Won, status before substatus', () => {
    const s = snapshot({ stageName: 'Closed Won', isClosed: true, isWon: true });
    expect(plan(referral(), s).value.patch).toEqual([
      { op: 'replace', path: '/status', value: 'Closed' },
      { op: 'replace', path: '/substatus', value: 'Won' },
    ]);
    const lost = snapshot({ stageName: 'Closed Lost', isClosed: true, isWon: false });
    expect(
      plan(referral({ status: 'New', substatus: 'Pending' }), lost).value.patch.map((o) => o.value),
    ).toEqual(['Closed', 'Lost']);
  });

  it('an open stage never moves an answered referral; the on-hold stage keeps a New one waiting', () => {
    const s = snapshot({ stageName: 'Negotiation' });
    expect(plan(referral({ status: 'Active', substatus: 'Accepted' }), s).value.patch).toEqual([]);
    const held = snapshot({ stageName: 'Prospecting' });
    expect(plan(referral({ status: 'New', substatus: 'Received' }), held).value.patch).toEqual([]);
  });

  it('leaving the on-hold stage accepts a referral Microsoft sent (New → Active/Accepted)', () => {
    const s = snapshot({ stageName: 'Negotiation' });
    expect(plan(referral({ status: 'New', substatus: 'Pending' }), s).value.patch).toEqual([
      { op: 'replace', path: '/status', value: 'Active' },
      { op: 'replace', path: '/substatus', value: 'Accepted' },
    ]);
  });

  it('Won after Lost is an illegal transition: a permanent, explained problem', () => {
    const s = snapshot({ stageName: 'Closed Won', isClosed: true, isWon: true });
    const result = planReferralUpdate(referral({ status: 'Closed', substatus: 'Lost' }), s);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      expect.objectContaining({ code: 'illegal-transition', field: 'Opportunity.StageName' }),
    ]);
    expect(result.problems[0]!.message).toContain('already Closed/Lost');
    expect(result.problems[0]!.fix).toContain('will not retry');
  });

  it('sends a closed referral only the CRM id and notes, and says what it held back', () => {
    const closed = referral({ status: 'Closed', substatus: 'Won', externalReferenceId: null });
    const s = snapshot({
      stageName: 'Closed Won',
      isClosed: true,
      isWon: true,
      amount: 99,
      description: 'post-mortem',
    });
    const result = plan(closed, s);
    expect(result.value.patch).toEqual([
      { op: 'replace', path: '/externalReferenceId', value: '006000000000001AAA' },
      { op: 'replace', path: '/details/notes', value: 'post-mortem' },
    ]);
    expect(result.warnings).toEqual([
      expect.objectContaining({
        code: 'referral-closed',
        message: expect.stringContaining('/details/dealValue not sent'),
      }),
    ]);
  });

  it('never downgrades visibility from shared to private; warns instead', () => {
    const shared = referral({
      consent: { ...referral().consent, consentToShareReferralWithMicrosoftSellers: true },
    });
    const result = plan(shared, snapshot({ visibility: 'Private' }));
    expect(result.value.patch).toEqual([]);
    expect(result.warnings).toEqual([
      expect.objectContaining({ code: 'visibility-downgrade-ignored' }),
    ]);
  });

  it('never withdraws a help request; warns instead', () => {
    const cosell = referral({
      consent: { ...referral().consent, consentToShareReferralWithMicrosoftSellers: true },
      inviteContext: { assistanceRequestCode: 'ProofOfConceptOrDemo' },
    });
    const result = plan(cosell, snapshot({ helpNeeded: null, visibility: 'Private' }));
    expect(result.value.patch).toEqual([]);
    expect(result.warnings.map((w) => w.code)).toEqual([
      'visibility-downgrade-ignored',
      'help-withdrawal-ignored',
    ]);
  });

  it('compares solutions by id only and replaces the list when the set changes', () => {
    const s = snapshot({
      solutions: [
        { solutionId: 'SOL-2', name: null },
        { solutionId: 'SOL-15974-MQF', name: 'x' },
      ],
    });
    expect(plan(referral(), s).value.patch).toEqual([
      {
        op: 'replace',
        path: '/details/requirements/solutions',
        value: [
          { id: 'SOL-2', type: 'Name' },
          { id: 'SOL-15974-MQF', name: 'x', type: 'Name' },
        ],
      },
    ]);
  });

  it('diff of a referral against its own state is empty', () => {
    const desired = desiredReferralState(snapshot(), referral());
    if (!desired.ok) throw new Error('invalid fixture');
    expect(diffReferral(referral(), desired.value)).toEqual([]);
  });

  it('the fingerprint ignores key order and changes with the data', () => {
    const a = plan(referral(), snapshot()).value.fingerprint;
    expect(plan(referral({ name: 'other' }), snapshot()).value.fingerprint).toBe(a);
    expect(plan(referral(), snapshot({ amount: 1 })).value.fingerprint).not.toBe(a);
  });
});
