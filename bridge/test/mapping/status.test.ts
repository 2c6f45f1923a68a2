import {
  isLegalTransition,
  stageForStatus,
  statusForStage,
  transitionProblem,
} from '../../src/mapping';

const pair = (text: string) => {
  const [status, substatus] = text.split('/');
  return { status: status!, substatus: substatus! };
};

describe('referral status transitions (referral-resources table)', () => {
  it.each([
    ['New/Pending', 'Active/Accepted'],
    ['New/Pending', 'New/Received'],
    ['New/Received', 'Closed/Declined'],
    ['Active/Accepted', 'Closed/Won'],
    ['Active/Accepted', 'Closed/Lost'],
    ['Closed/Won', 'Closed/Won'],
  ])('%s → %s is legal', (from, to) => {
    expect(isLegalTransition(pair(from), pair(to))).toBe(true);
  });

  it.each([
    ['Active/Accepted', 'New/Pending', 'cannot move'],
    ['Closed/Won', 'Closed/Lost', 'already Closed/Won'],
    ['Closed/Expired', 'Active/Accepted', 'already Closed/Expired'],
    ['Active/Accepted', 'Active/Won', 'not a valid substatus'],
    ['Active/Accepted', 'Reopened/None', 'not a Partner Center referral status'],
    ['Mystery/Unknown', 'Closed/Won', 'unknown status'],
  ])('%s → %s is illegal (%s)', (from, to, reason) => {
    expect(isLegalTransition(pair(from), pair(to))).toBe(false);
    expect(transitionProblem(pair(from), pair(to))).toContain(reason);
  });

  it('maps closed stages to Closed/Won|Lost and open stages to no change', () => {
    expect(statusForStage({ isClosed: true, isWon: true })).toEqual({
      status: 'Closed',
      substatus: 'Won',
    });
    expect(statusForStage({ isClosed: true, isWon: false })).toEqual({
      status: 'Closed',
      substatus: 'Lost',
    });
    expect(statusForStage({ isClosed: false, isWon: false })).toBeNull();
  });

  it('R18: Won/Lost in Partner Center set the stage; Declined/Expired leave the pipeline alone', () => {
    expect(stageForStatus(pair('Closed/Won'))).toBe('Closed Won');
    expect(
      stageForStatus(pair('Closed/Lost'), { wonStage: 'Gewonnen', lostStage: 'Verloren' }),
    ).toBe('Verloren');
    expect(stageForStatus(pair('Closed/Declined'))).toBeNull();
    expect(stageForStatus(pair('Active/Accepted'))).toBeNull();
  });
});
