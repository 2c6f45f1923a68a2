import { formatLabel } from 'c/coSellText';

describe('c-co-sell-text', () => {
  it('fills numbered placeholders, in any order, and leaves unknown ones', () => {
    expect(formatLabel('Referral {0}', 'abc')).toBe('Referral abc');
    expect(formatLabel('{1} of {0}', 'A', 'B')).toBe('B of A');
    expect(formatLabel('{0} and {2}', 'x')).toBe('x and {2}');
    expect(formatLabel('{0} calls', 0)).toBe('0 calls');
  });
});
