import type { Warning } from '../../src/mapping';
import { AUDIT_MESSAGE_MAX_LENGTH, withWarnings } from '../../src/sync/audit-message';

describe('audit message with mapping warnings', () => {
  it('R4: appends each distinct warning on its own line and leaves a warning-free message as is', () => {
    const unmatched: Warning = {
      code: 'team-member-unmatched',
      field: 'Opportunity.OwnerId',
      message: '1 member: a@b.example.',
    };
    expect(withWarnings('Created', [])).toBe('Created');
    expect(withWarnings('Created', [unmatched, unmatched])).toBe(
      'Created\nWarnings:\n1 member: a@b.example.',
    );
  });

  it('stays within Co_Sell_Sync_Event__c.Message__c', () => {
    const long: Warning = {
      code: 'truncated',
      field: 'Opportunity.Description',
      message: 'x'.repeat(AUDIT_MESSAGE_MAX_LENGTH),
    };
    const message = withWarnings('Applied', [long]);
    expect(message).toHaveLength(AUDIT_MESSAGE_MAX_LENGTH);
    expect(message.startsWith('Applied\nWarnings:\nxxx')).toBe(true);
    expect(message.endsWith('…')).toBe(true);
  });
});
