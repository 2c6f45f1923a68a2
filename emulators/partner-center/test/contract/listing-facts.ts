import type { Json } from '../helpers';
import { referrals, referralsError, type ContractContext, type DocumentedFact } from './context';

interface Page {
  '@odata.context'?: string;
  '@odata.count'?: number;
  '@odata.nextLink'?: string;
  value: Json[];
}

async function seed(c: ContractContext, n: number): Promise<Json[]> {
  const made: Json[] = [];
  for (let i = 0; i < n; i += 1) made.push(await referrals.created(c, { name: `Deal ${i}` }));
  return made;
}

/** Follows @odata.nextLink from `query`; returns every page. */
async function allPages(c: ContractContext, query: string): Promise<Page[]> {
  const pages: Page[] = [];
  let res = await referrals.list(c, query);
  for (;;) {
    expect(res.status).toBe(200);
    const page = (await res.json()) as Page;
    pages.push(page);
    const next = page['@odata.nextLink'];
    if (!next) return pages;
    res = await fetch(next, { headers: { authorization: `Bearer ${c.referralsToken}` } });
  }
}

const ids = (pages: Page[]) => pages.flatMap((p) => p.value.map((r) => r.id));

/** get-a-list-of-referrals and the connector definition's GetAllReferrals. */
export const LISTING_FACTS: DocumentedFact[] = [
  {
    id: 'list.top-is-total',
    fact: '`$top` is how many referrals to retrieve in total ("the top n"), not a page size: no next link leads past it, even across pages',
    source: 'LIST; connector GetAllReferrals `$top`',
    async check(c) {
      const made = await seed(c, c.pageSize * 2 + 1);
      const pages = await allPages(c, `$top=${c.pageSize + 1}&$orderby=createdDateTime asc`);
      expect(ids(pages)).toEqual(made.slice(0, c.pageSize + 1).map((r) => r.id));
      expect(pages).toHaveLength(2);
    },
  },
  {
    id: 'list.server-pages',
    fact: 'without `$top` every referral is reachable: the server chooses the page size and links the next page with `@odata.nextLink` carrying a `$skiptoken`',
    source: 'LIST (2020 response sample)',
    async check(c) {
      const made = await seed(c, c.pageSize * 2 + 1);
      const pages = await allPages(c, '$orderby=createdDateTime asc');
      expect(pages.map((p) => p.value.length)).toEqual([c.pageSize, c.pageSize, 1]);
      expect(pages[0]?.['@odata.nextLink']).toContain('$skiptoken=');
      expect(ids(pages)).toEqual(made.map((r) => r.id));
    },
  },
  {
    id: 'list.skip',
    fact: '`$skip` leaves out that many referrals before the first one returned',
    source: 'connector GetAllReferrals `$skip`',
    async check(c) {
      const made = await seed(c, 4);
      const pages = await allPages(c, '$skip=1&$top=2&$orderby=createdDateTime asc');
      expect(ids(pages)).toEqual(made.slice(1, 3).map((r) => r.id));
    },
  },
  {
    id: 'list.envelope',
    fact: 'a list answer is an OData collection: `@odata.context` (…$metadata#Referrals), `@odata.count` and the referrals in `value`',
    source: 'LIST; connector GetAllReferrals 200 schema',
    async check(c) {
      await seed(c, 1);
      const page = (await (await referrals.list(c, '')).json()) as Page;
      expect(page['@odata.context']).toMatch(/\$metadata#Referrals$/);
      expect(page['@odata.count']).toBe(1);
      expect(page.value).toHaveLength(1);
    },
  },
  {
    id: 'list.orderby',
    fact: '`$orderby` accepts only createdDateTime or updatedDateTime (asc or desc); anything else is a 400 with an error body',
    source: 'LIST',
    async check(c) {
      const made = await seed(c, 2);
      const desc = await allPages(c, '$orderby=updatedDateTime desc');
      expect(ids(desc)).toEqual([...made].reverse().map((r) => r.id));
      const bad = await referrals.list(c, '$orderby=name');
      expect(bad.status).toBe(400);
      await referralsError(bad);
    },
  },
  {
    id: 'list.filter',
    fact: '`$filter` takes OData comparisons on referral paths, such as `status eq …` and `updatedDateTime ge <date-time>`',
    source: 'LIST',
    async check(c) {
      const [first, second] = await seed(c, 2);
      const since = String(second?.updatedDateTime);
      const pages = await allPages(
        c,
        `$filter=${encodeURIComponent(`updatedDateTime ge ${since}`)}`,
      );
      expect(ids(pages)).toEqual([second?.id]);
      const active = await allPages(c, `$filter=${encodeURIComponent("status eq 'Active'")}`);
      expect(ids(active).sort()).toEqual([first?.id, second?.id].sort());
    },
  },
];
