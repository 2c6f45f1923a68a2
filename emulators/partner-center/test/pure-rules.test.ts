import fc from 'fast-check';
import { parseFilter } from '../src/referrals/odata-filter';
import { applyPatch } from '../src/referrals/json-patch';
import { parseListQuery, selectPage, type ListQuery } from '../src/referrals/list-referrals';
import { transitionProblem } from '../src/referrals/transitions';
import { isCountryCode } from '../src/referrals/validate-referral';

// Table-style checks of the pure rules the HTTP tests exercise only by example.
describe('Partner Center emulator rules', () => {
  it.each([
    ['New', 'Pending', 'New', 'Received', true],
    ['New', 'Pending', 'Active', 'Accepted', true],
    ['New', 'Received', 'Closed', 'Declined', true],
    ['Active', 'Accepted', 'Closed', 'Won', true],
    ['Active', 'Accepted', 'Closed', 'Lost', true],
    ['Active', 'Accepted', 'New', 'Pending', false],
    ['Active', 'Accepted', 'Active', 'Pending', false],
    ['Closed', 'Won', 'Closed', 'Lost', false],
    ['Closed', 'Expired', 'Active', 'Accepted', false],
    ['Closed', 'Won', 'Closed', 'Won', true],
  ])('status %s/%s → %s/%s allowed: %s', (fs, fss, ts, tss, allowed) => {
    expect(
      transitionProblem({ status: fs, substatus: fss }, { status: ts, substatus: tss }) ===
        undefined,
    ).toBe(allowed);
  });

  it('parses OData precedence, escaped quotes, unquoted GUIDs and functions', () => {
    const item = {
      id: 'a1b2c3d4-0000-0000-0000-000000000001',
      name: "O'Brien",
      status: 'New',
      n: 5,
    };
    expect(parseFilter("name eq 'O''Brien'")(item)).toBe(true);
    expect(parseFilter('id eq a1b2c3d4-0000-0000-0000-000000000001')(item)).toBe(true);
    expect(parseFilter("status eq 'Active' or status eq 'New' and n gt 4")(item)).toBe(true);
    expect(parseFilter("(status eq 'Active' or status eq 'New') and n gt 5")(item)).toBe(false);
    expect(parseFilter("startswith(tolower(name), 'o''b') and contains(name, 'Bri')")(item)).toBe(
      true,
    );
    expect(parseFilter('missing eq null')(item)).toBe(true);
  });

  it('treats string literals that look like punctuation as values', () => {
    const item = { name: 'a(b,c)/d:e' };
    expect(parseFilter("name eq '('")({ name: '(' })).toBe(true);
    expect(parseFilter("contains(name, ',') and startswith(name, 'a(')")(item)).toBe(true);
    expect(parseFilter("endswith(name, '/d:e') and not contains(name, ')(')")(item)).toBe(true);
    expect(() => parseFilter("name eq '(' 'x')")).toThrow(/Unexpected/);
  });

  it('matches any string exactly through an escaped literal (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (value, other) => {
        const literal = `'${value.replace(/'/g, "''")}'`;
        const filter = parseFilter(`externalReferenceId eq ${literal}`);
        return (
          filter({ externalReferenceId: value }) &&
          filter({ externalReferenceId: other }) === (other === value)
        );
      }),
    );
  });

  it('pages through any list exactly once for any server page size, never past $top (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 12 }),
        fc.option(fc.integer({ min: 0, max: 45 }), { nil: undefined }),
        fc.boolean(),
        (n, pageSize, top, desc) => {
          const items = Array.from({ length: n }, (_, i) => ({
            id: String(i),
            createdDateTime: new Date(1_700_000_000_000 + Math.floor(i / 3) * 1000).toISOString(),
          }));
          const seen: string[] = [];
          let query = parseListQuery(
            {
              ...(top === undefined ? {} : { $top: String(top) }),
              $orderby: `createdDateTime ${desc ? 'desc' : 'asc'}`,
            },
            pageSize,
          ) as ListQuery;
          for (;;) {
            const page = selectPage(items, query);
            if (page.items.length > pageSize) return false;
            seen.push(...page.items.map((i) => String(i.id)));
            if (page.nextOffset === undefined) break;
            query = { ...query, offset: page.nextOffset };
          }
          const expected = Math.min(n, top ?? n);
          return seen.length === expected && new Set(seen).size === expected;
        },
      ),
    );
  });

  it('applies JSON Patch to a copy and leaves the original untouched', () => {
    const original = { details: { dealValue: 1 }, team: [] as unknown[] };
    const result = applyPatch(original, [
      { op: 'replace', path: '/details/dealValue', value: 2 },
      { op: 'add', path: '/team/-', value: { email: 'a@b.example' } },
    ]);
    expect(result).toEqual({
      ok: true,
      document: { details: { dealValue: 2 }, team: [{ email: 'a@b.example' }] },
      touched: ['/details/dealValue', '/team/-'],
    });
    expect(original).toEqual({ details: { dealValue: 1 }, team: [] });
  });

  it.each([
    ['US', true],
    ['SE', true],
    ['GB', true],
    ['UK', false],
    ['ZZ', false],
    ['XX', false],
    ['us', false],
    ['USA', false],
  ])('country code %s valid: %s', (code, valid) => {
    expect(isCountryCode(code)).toBe(valid);
  });
});
