/**
 * The invariants of a chaos run, judged from ground truth: what the seller's Salesforce and the
 * Partner Center emulator hold at the end, against the last edit the test made on each side.
 * `evaluate` is pure, so each invariant can be asserted on its own and explained record by record.
 */
import type { Connection } from 'jsforce';
import { waitForValue, type Json, type PartnerCenterControl } from '../support';
import { untriggeredFaults } from './fault-menu';
import type { ChaosLedger } from './ledger';

/** One deal as the test drives it: last values written on each side. */
export interface ExpectedDeal {
  /** Where the deal started: the seller's opportunity or Microsoft's referral. */
  origin: 'salesforce' | 'microsoft';
  opportunityId?: string;
  referralId?: string;
  /** Last seller edits (Salesforce → Partner Center). */
  name?: string;
  amount?: number;
  /** Last Microsoft edit of the notes (Partner Center → Salesforce Description). */
  notes?: string;
}

export interface OpportunityRow {
  Id: string;
  Name: string;
  Amount: number | null;
  Description: string | null;
  Sync_with_Partner_Center__c: boolean;
  Partner_Center_Referral_Id__c: string | null;
  Partner_Center_Sync_Status__c: string | null;
}

export interface Truth {
  opportunities: OpportunityRow[];
  referrals: Json[];
}

export interface Verdict {
  /** Synced opportunities with more than one referral (each extra one counted). */
  duplicateReferrals: string[];
  /** Microsoft referrals that became more than one opportunity. */
  duplicateOpportunities: string[];
  /** Deals whose last edit on one side is not on the other (or that never synced at all). */
  lostUpdates: string[];
  /** Deals in step on both sides. */
  inStep: number;
}

/** Every row of a SOQL query (all pages), read as the seller. */
export async function queryRecords<T>(connection: Connection, soql: string): Promise<T[]> {
  const result = (await connection.query(soql, { autoFetch: true, maxFetch: 100_000 })) as {
    records: unknown[];
  };
  return result.records as T[];
}

export async function readTruth(
  seller: Connection,
  partnerCenter: PartnerCenterControl,
): Promise<Truth> {
  const [opportunities, referrals] = await Promise.all([
    queryRecords<OpportunityRow>(
      seller,
      'SELECT Id, Name, Amount, Description, Sync_with_Partner_Center__c, Partner_Center_Referral_Id__c, Partner_Center_Sync_Status__c FROM Opportunity',
    ),
    partnerCenter.referrals(),
  ]);
  return { opportunities, referrals };
}

function details(referral: Json): Json {
  const value = referral.details;
  return value && typeof value === 'object' ? (value as Json) : {};
}

export function evaluate(deals: readonly ExpectedDeal[], truth: Truth): Verdict {
  const verdict: Verdict = {
    duplicateReferrals: [],
    duplicateOpportunities: [],
    lostUpdates: [],
    inStep: 0,
  };
  for (const deal of deals) {
    const label = deal.opportunityId ?? `referral ${deal.referralId ?? '?'}`;
    const referrals = truth.referrals.filter((r) =>
      deal.origin === 'salesforce'
        ? r.externalReferenceId === deal.opportunityId
        : r.id === deal.referralId,
    );
    if (referrals.length > 1) {
      verdict.duplicateReferrals.push(
        `${label}: ${referrals.length} referrals (${referrals.map((r) => String(r.id)).join(', ')})`,
      );
    }
    const referral = referrals[0];
    const opportunities = truth.opportunities.filter((o) =>
      deal.origin === 'salesforce'
        ? o.Id === deal.opportunityId
        : referral !== undefined && o.Partner_Center_Referral_Id__c === referral.id,
    );
    if (deal.origin === 'microsoft' && opportunities.length > 1) {
      verdict.duplicateOpportunities.push(
        `${label}: ${opportunities.length} opportunities (${opportunities.map((o) => o.Id).join(', ')})`,
      );
    }
    const opportunity = opportunities[0];
    const problems = compare(deal, referral, opportunity);
    if (problems.length > 0) verdict.lostUpdates.push(`${label}: ${problems.join('; ')}`);
    else verdict.inStep += 1;
  }
  return verdict;
}

function compare(
  deal: ExpectedDeal,
  referral: Json | undefined,
  opportunity: OpportunityRow | undefined,
): string[] {
  if (!referral) return ['no referral in Partner Center'];
  if (!opportunity) return [`no opportunity for referral ${String(referral.id)}`];
  const problems: string[] = [];
  if (opportunity.Partner_Center_Referral_Id__c !== referral.id) {
    problems.push(
      `Salesforce has referral id ${opportunity.Partner_Center_Referral_Id__c ?? 'null'}, Partner Center ${String(referral.id)}`,
    );
  }
  if (referral.externalReferenceId !== opportunity.Id) {
    problems.push(`referral CRM id ${String(referral.externalReferenceId)} ≠ ${opportunity.Id}`);
  }
  if (deal.name !== undefined && referral.name !== deal.name) {
    problems.push(
      `seller's name "${deal.name}" not in Partner Center ("${String(referral.name)}")`,
    );
  }
  if (deal.amount !== undefined && Number(details(referral).dealValue) !== deal.amount) {
    problems.push(
      `seller's amount ${deal.amount} not in Partner Center (${String(details(referral).dealValue)})`,
    );
  }
  if (deal.notes !== undefined && opportunity.Description !== deal.notes) {
    problems.push(
      `Microsoft's notes "${deal.notes}" not in Salesforce ("${opportunity.Description ?? 'null'}")`,
    );
  }
  if (deal.notes !== undefined && details(referral).notes !== deal.notes) {
    problems.push(
      `Microsoft's notes were overwritten in Partner Center ("${String(details(referral).notes)}")`,
    );
  }
  return problems;
}

/**
 * Which deals are not yet linked on both sides (created on the other side, ids written back);
 * fills in each linked deal's other id as it goes. Empty once every deal is linked.
 */
export function linkDeals(deals: ExpectedDeal[], truth: Truth): string[] {
  const missing: string[] = [];
  for (const deal of deals) {
    if (deal.origin === 'salesforce') {
      const referral = truth.referrals.find((r) => r.externalReferenceId === deal.opportunityId);
      const opportunity = truth.opportunities.find((o) => o.Id === deal.opportunityId);
      if (!referral || opportunity?.Partner_Center_Referral_Id__c !== referral.id) {
        missing.push(`opportunity ${deal.opportunityId} not linked`);
      } else deal.referralId = String(referral.id);
    } else {
      const opportunity = truth.opportunities.find(
        (o) => o.Partner_Center_Referral_Id__c === deal.referralId,
      );
      const referral = truth.referrals.find((r) => r.id === deal.referralId);
      if (!opportunity || referral?.externalReferenceId !== opportunity.Id) {
        missing.push(`referral ${deal.referralId} has no linked opportunity`);
      } else deal.opportunityId = opportunity.Id;
    }
  }
  return missing;
}

/**
 * The invariants every chaos run asserts, registered as tests of the calling file. `judged` is
 * read when they run, after the file's run has filled in its deals, final truth and verdict.
 */
export function itKeepsTheGroundTruth(
  judged: () => { deals: readonly ExpectedDeal[]; truth: Truth; verdict: Verdict },
): void {
  it('R18/R1: exactly one referral per synced opportunity (no duplicates)', () => {
    const { verdict, truth } = judged();
    expect(verdict.duplicateReferrals).toEqual([]);
    const ids = truth.referrals.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('R13: every last edit on either side is present on the other (no lost update)', () => {
    const { verdict, deals } = judged();
    expect(verdict.lostUpdates).toEqual([]);
    expect(verdict.inStep).toBe(deals.length);
  });

  it('R18: no opportunity is created twice for one Microsoft referral', () => {
    const { verdict, truth } = judged();
    expect(verdict.duplicateOpportunities).toEqual([]);
    const referralIds = truth.opportunities
      .map((o) => o.Partner_Center_Referral_Id__c)
      .filter((id): id is string => Boolean(id));
    expect(new Set(referralIds).size).toBe(referralIds.length);
  });
}

/**
 * The end of every chaos run: wait (bounded) until both sides hold every last edit, book the
 * count-limited faults that never fired as not injected (they may still fire while it settles),
 * clear every fault, and judge the final truth. A run that does not converge is judged as it is.
 */
export async function settleAndJudge(run: {
  deals: readonly ExpectedDeal[];
  seller: Connection;
  emulators: { url: string; clearFaults(): Promise<void> }[];
  partnerCenter: PartnerCenterControl;
  ledger: ChaosLedger;
  timeoutMs: number;
  description: string;
}): Promise<{ truth: Truth; verdict: Verdict; convergenceMs: number }> {
  const settleStart = Date.now();
  const truth = await waitForValue(
    () => readTruth(run.seller, run.partnerCenter),
    (candidate) => {
      const v = evaluate(run.deals, candidate);
      return v.lostUpdates.length === 0 && v.duplicateReferrals.length === 0;
    },
    { timeoutMs: run.timeoutMs, intervalMs: 1_000, description: run.description },
  ).catch(() => readTruth(run.seller, run.partnerCenter));
  const convergenceMs = Date.now() - settleStart;
  for (const emulator of run.emulators) {
    for (const [kind, n] of await untriggeredFaults(emulator.url)) run.ledger.fault(kind, -n);
  }
  await Promise.all(run.emulators.map((emulator) => emulator.clearFaults()));
  return { truth, verdict: evaluate(run.deals, truth), convergenceMs };
}

/** The run summary's outcome figures (renderSummary). */
export function outcomeFigures(verdict: Verdict, convergenceMs: number) {
  return {
    recovered: verdict.inStep,
    lost: verdict.lostUpdates.length,
    duplicated: verdict.duplicateReferrals.length + verdict.duplicateOpportunities.length,
    convergenceMs,
  };
}
