import { splitFix } from '../../src/cli/checks/error-fix';
import { resyncSelection } from '../../src/cli/commands/resync';
import { renderChecks, renderExplanation } from '../../src/cli/render';
import { parseSolutionsCsv, SolutionsCsvError } from '../../src/cli/solutions-csv';
import { UsageError } from '../../src/cli/usage-error';
import { AuthenticationError } from '../../src/errors';

describe('solutions CSV (R17)', () => {
  it('R17: reads the Partner Center export with header variants, BOM and quoted multi-line names, reporting bad rows by line', () => {
    const csv = [
      '\ufeffSolution ID,Solution Name,Status',
      'SOL-1,Azure Migration,Published',
      '',
      'SOL-2,"Data, analytics',
      'and AI",Published',
      ',No id',
      'SOL-3,',
      'not an id!,Bad',
      'sol-1,Duplicate of line 2',
      `SOL-4,${'x'.repeat(81)}`,
      'SOL-5,Last',
    ].join('\n');
    const { rows, invalid } = parseSolutionsCsv(csv);
    expect(rows).toEqual([
      { line: 2, solutionId: 'SOL-1', name: 'Azure Migration' },
      { line: 4, solutionId: 'SOL-2', name: 'Data, analytics\nand AI' },
      { line: 11, solutionId: 'SOL-5', name: 'Last' },
    ]);
    expect(invalid.map((r) => r.line)).toEqual([6, 7, 8, 9, 10]);
    expect(invalid[0]!.reason).toMatch(/id is empty/);
    expect(invalid[1]!.reason).toMatch(/name of SOL-3 is empty/);
    expect(invalid[3]!.reason).toMatch(/repeats line 2/);
    expect(invalid[4]!.reason).toMatch(/longer than 80/);
  });

  it('accepts plain id,name headers in any column order', () => {
    expect(parseSolutionsCsv('name,id\nContoso AI,SOL-9\n').rows).toEqual([
      { line: 2, solutionId: 'SOL-9', name: 'Contoso AI' },
    ]);
  });

  it('refuses a file without id and name columns, or an empty file, naming what it expects', () => {
    expect(() => parseSolutionsCsv('foo,bar\n1,2\n')).toThrow(SolutionsCsvError);
    expect(() => parseSolutionsCsv('foo,bar\n1,2\n')).toThrow(/id and a name column/);
    expect(() => parseSolutionsCsv('')).toThrow(/empty/);
    expect(() => parseSolutionsCsv('id,name\n"unterminated,x\n')).toThrow(/not valid CSV/);
  });
});

describe('solutions CSV delimiter (R17)', () => {
  it('a semicolon-separated export (European Excel) is told to save as comma-separated, not "no id column"', () => {
    expect(() => parseSolutionsCsv('Solution ID;Solution name\nSOL-1;Azure Migration\n')).toThrow(
      'the header row "Solution ID;Solution name" is separated by semicolons, not commas: save the file as comma-separated CSV (in Excel: "CSV UTF-8 (Comma delimited)") and import it again',
    );
    expect(() => parseSolutionsCsv('id\tname\nSOL-1\tAzure\n')).toThrow(/separated by tabs/);
    // A comma file with the wrong columns still gets the column message.
    expect(() => parseSolutionsCsv('code,title\nSOL-1,Azure\n')).toThrow(
      /must name an id and a name column/,
    );
  });
});

describe('resync selection (R13)', () => {
  it('takes exactly one of an opportunity id, --all or --since', () => {
    expect(resyncSelection('006000000000001AAA', { wait: true })).toEqual({
      opportunityId: '006000000000001AAA',
    });
    expect(resyncSelection(undefined, { all: true, wait: true })).toEqual({ all: true });
    expect(resyncSelection(undefined, { since: '2026-11-30T08:00:00+01:00', wait: true })).toEqual({
      since: '2026-11-30T07:00:00.000Z',
    });
    expect(() => resyncSelection(undefined, { wait: true })).toThrow(UsageError);
    expect(() => resyncSelection('006000000000001AAA', { all: true, wait: true })).toThrow(
      /exactly one/,
    );
    expect(() => resyncSelection('nope', { wait: true })).toThrow(/not a Salesforce record id/);
    // 15 characters (the UI's spelling) become the API's 18 the store is keyed by.
    expect(resyncSelection('0065g000000000X', { wait: true })).toEqual({
      opportunityId: '0065g000000000XAAQ',
    });
    // Another record's id (an account's, 001…) is refused by its key prefix, not resynced as "1".
    expect(() => resyncSelection('0015g000000000VAAQ', { wait: true })).toThrow(
      new UsageError(
        "0015g000000000VAAQ is not an opportunity id (opportunity ids begin with 006): copy the id from the opportunity's URL",
      ),
    );
    expect(() => resyncSelection(undefined, { since: 'yesterday', wait: true })).toThrow(
      /not a date-time/,
    );
  });
});

describe('error → fix', () => {
  it('splits the remedy that the bridge errors carry after "Fix:" or "; fix:"', () => {
    expect(
      splitFix(
        new AuthenticationError('the client secret is wrong. Fix: set X.', 'partner-center'),
        'fallback',
      ),
    ).toEqual({ detail: 'the client secret is wrong', fix: 'set X.' });
    expect(
      splitFix(
        new Error('Salesforce sign-in failed (invalid_client: bad); fix: check the key'),
        'f',
      ),
    ).toEqual({
      detail: 'Salesforce sign-in failed (invalid_client: bad)',
      fix: 'check the key',
    });
    expect(splitFix(new Error('socket hang up'), 'check the network')).toEqual({
      detail: 'socket hang up',
      fix: 'check the network',
    });
  });
});

describe('renderers', () => {
  it('shows ✓/✗/– per check, the fix under a failure, and a summary', () => {
    const lines = renderChecks([
      { id: 'a', title: 'A', state: 'ok', detail: 'fine', requirement: 'R7' },
      { id: 'b', title: 'B', state: 'failed', detail: 'broken', fix: 'do this', requirement: 'R2' },
      { id: 'c', title: 'C', state: 'skipped', detail: 'skipped: B failed' },
    ]);
    expect(lines).toEqual([
      '✓ A [R7]: fine',
      '✗ B [R2]: broken',
      '    fix: do this',
      '– C: skipped: B failed',
      '',
      '1 check(s) failed.',
    ]);
  });

  it('R18: explains a link, the journal in order with calls used, queued work and open failures', () => {
    const lines = renderExplanation({
      id: '006A',
      link: {
        opportunityId: '006A',
        referralId: 'r-1',
        engagementId: 'e-1',
        eTag: null,
        updatedDateTime: '2026-11-30T08:00:00Z',
        referral: null,
        createIntentAt: null,
        status: 'Active',
        substatus: 'Accepted',
        updatedAt: '2026-11-30T08:00:00Z',
      },
      queued: null,
      failures: [
        {
          direction: 'outbound',
          id: 7,
          key: '006A',
          reason: 'cdc:UPDATE',
          error: 'country missing',
          attempts: 1,
          permanent: true,
          nextAttemptAt: null,
          updatedAt: '2026-11-30T08:01:00Z',
        },
      ],
      journal: [
        {
          id: 1,
          opportunityId: '006A',
          direction: 'Outbound',
          outcome: 'Success',
          message: 'created referral r-1',
          referralId: 'r-1',
          apiCalls: 2,
          occurredAt: '2026-11-30T08:00:00Z',
          writtenAt: null,
        },
      ],
    });
    expect(lines[0]).toBe('Opportunity 006A ↔ referral r-1');
    expect(lines[1]).toContain('Active / Accepted');
    expect(lines).toContain('  2026-11-30T08:00:00Z  Outbound Success referral r-1 (2 calls)');
    expect(lines).toContain('      created referral r-1');
    expect(lines).toContain('  #7 outbound: country missing (waits for a fix)');
  });

  it('R18: explain shows the opportunity as the seller sees it now, or why it could not be read', () => {
    const explanation = {
      id: '006A',
      link: null,
      queued: null,
      failures: [],
      journal: [],
    };
    const state = {
      opportunityId: '006A',
      name: 'Contoso migration',
      syncEnabled: true,
      syncStatus: 'Error',
      syncMessage: 'Set Account Billing Country to a two-letter ISO code.',
      lastSynced: null,
      referralId: null,
    };
    expect(renderExplanation(explanation, { state, error: null }).slice(0, 3)).toEqual([
      '006A: not linked to a referral yet',
      '  Salesforce now: "Contoso migration", Sync with Partner Center on; sync status Error; last synced —',
      '      Set Account Billing Country to a two-letter ISO code.',
    ]);
    expect(
      renderExplanation(explanation, { state: null, error: 'Salesforce did not answer' })[1],
    ).toBe('  Salesforce now: could not read the opportunity (Salesforce did not answer)');
    // Nothing to add when no such opportunity exists.
    expect(renderExplanation(explanation, { state: null, error: null })[1]).toBe('');
  });
});
