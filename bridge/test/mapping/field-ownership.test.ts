import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  FIELD_OWNERSHIP,
  INBOUND_UPDATE_FIELDS,
  OUTBOUND_UPDATE_PATHS,
  SALESFORCE_FIELDS,
  desiredReferralState,
  fromReferral,
  renderFieldMappingMarkdown,
} from '../../src/mapping';
import { referral, snapshot } from './fixtures';

const DOC = join(__dirname, '../../../docs/FIELD-MAPPING.md');

function normaliseMarkdown(text: string): string {
  return text
    .trim()
    .split('\n')
    .map((line) =>
      line.startsWith('|')
        ? line
            .split(/(?<!\\)\|/)
            .map((cell) => (/^\s*:?-+:?\s*$/.test(cell) ? '---' : cell.trim()))
            .join('|')
        : line.trimEnd(),
    )
    .join('\n');
}

describe('field ownership table', () => {
  it('docs/FIELD-MAPPING.md is the rendering of FIELD_OWNERSHIP', () => {
    // Table padding is ignored so `npm run format` (Prettier aligns tables) cannot make it stale.
    // On failure regenerate with the command in the file's header comment.
    expect(normaliseMarkdown(readFileSync(DOC, 'utf8'))).toBe(
      normaliseMarkdown(renderFieldMappingMarkdown()),
    );
  });

  it('outbound updates touch only paths the table lets Salesforce update', () => {
    const s = snapshot({
      stageName: 'Closed Won',
      isClosed: true,
      isWon: true,
      helpNeeded: 'GeneralOrOther',
    });
    const desired = desiredReferralState(s, referral());
    if (!desired.ok) throw new Error('fixture invalid');
    for (const path of Object.keys(desired.value)) expect(OUTBOUND_UPDATE_PATHS).toContain(path);
  });

  it('inbound updates touch only fields the table lets Partner Center update', () => {
    const r = referral({
      name: 'changed',
      status: 'Closed',
      substatus: 'Won',
      details: {
        dealValue: 1,
        currency: 'USD',
        closingDateTime: '2027-01-01T00:00:00Z',
        notes: 'n',
      },
      inviteContext: { assistanceRequestCode: 'GeneralOrOther' },
      trackingInfo: { microsoftMsxId: 'm' },
    });
    const { updates } = fromReferral(r, snapshot(), { orgCurrency: 'USD', multiCurrency: false });
    expect(Object.keys(updates).length).toBeGreaterThan(5);
    for (const field of Object.keys(updates)) expect(INBOUND_UPDATE_FIELDS).toContain(field);
  });

  it('every Opportunity field in the table is in SALESFORCE_FIELDS (read and, when inbound, written)', () => {
    for (const row of FIELD_OWNERSHIP) {
      for (const field of row.salesforce.filter((f) => /^Opportunity\.\w+$/.test(f))) {
        expect(SALESFORCE_FIELDS.read).toContain(field);
        if (row.inbound !== 'never' && field !== 'Opportunity.Id')
          expect(SALESFORCE_FIELDS.written).toContain(field);
      }
    }
  });
});

describe('SALESFORCE_FIELDS', () => {
  it('lists each field once as Object.Field, and every written field is also read', () => {
    for (const list of [SALESFORCE_FIELDS.read, SALESFORCE_FIELDS.written]) {
      expect(new Set(list).size).toBe(list.length);
      for (const f of list) expect(f).toMatch(/^[A-Za-z_]+\.[A-Za-z_]+$/);
    }
    const notRead = SALESFORCE_FIELDS.written.filter((f) => !SALESFORCE_FIELDS.read.includes(f));
    // Platform event fields (`…__e`) are published with the write-back, never read back.
    expect(notRead.filter((f) => !f.startsWith('Opportunity.') && !/^\w+__e\./.test(f))).toEqual(
      [],
    );
  });
});
