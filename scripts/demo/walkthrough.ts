/**
 * What the demo shows once the bridge runs, one scene per step: each acts as a seller or as
 * Microsoft, then waits (with a deadline) for the outcome in the other system and narrates it.
 * Last, the API calls as the emulators counted them.
 */
import type {
  Json,
  PartnerCenterControl,
  SalesforceControl,
} from '../../test/support/control-clients';
import { heading, say, waitFor } from './narration';
import { cosell } from './processes';
import { SOLUTIONS, type DemoOrg } from './seed';

export interface Stage {
  org: DemoOrg;
  sfControl: SalesforceControl;
  pcControl: PartnerCenterControl;
  env: NodeJS.ProcessEnv;
  workDir: string;
  /** Referrals API calls counted before the bridge started. */
  callsBeforeBridge: number;
}

const sumOf = (counts: Record<string, number>): number =>
  Object.values(counts).reduce((sum, n) => sum + n, 0);

/** Partner Center Referrals API calls today, as the emulator counted them. */
export async function referralCalls(pcControl: PartnerCenterControl): Promise<number> {
  const stats = (await pcControl.stats()) as unknown as { dailyCalls: Record<string, number> };
  return sumOf(stats.dailyCalls);
}

const readOpportunity = async (stage: Stage, id: string) =>
  (await stage.org.seller.sobject('Opportunity').retrieve(id)) as unknown as Json;

/** Waits until the opportunity has synced and has its referral id. */
const synced = (stage: Stage, id: string, what: string): Promise<Json> =>
  waitFor(what, async () => {
    const o = await readOpportunity(stage, id);
    return o.Partner_Center_Sync_Status__c === 'Synced' && o.Partner_Center_Referral_Id__c
      ? o
      : undefined;
  });

/** Returns the referral id the valid deal got. */
async function validDealSyncs(stage: Stage): Promise<string> {
  heading('The valid deal becomes a Partner Center referral');
  const opportunity = await synced(stage, stage.org.valid, 'the valid deal to sync');
  const referralId = String(opportunity.Partner_Center_Referral_Id__c);
  say(
    `Contoso Pharma → referral ${referralId} (status ${String(opportunity.Partner_Center_Status__c)}/${String(opportunity.Partner_Center_Substatus__c)})`,
  );
  say(
    `Referrals API calls by the bridge since it started: ${(await referralCalls(stage.pcControl)) - stage.callsBeforeBridge} (including its start-up catch-up read)`,
  );
  return referralId;
}

async function incompleteDealsGetTheirFix(stage: Stage): Promise<void> {
  heading('The incomplete deals get status Error with the exact fix — and no Partner Center call');
  for (const [id, label] of [
    [stage.org.noCountry, 'Fabrikam Logistics'],
    [stage.org.noContact, 'Adventure Works'],
  ] as const) {
    const failed = await waitFor(`${label} to get its fix`, async () => {
      const o = await readOpportunity(stage, id);
      return o.Partner_Center_Sync_Status__c === 'Error' && o.Partner_Center_Sync_Message__c
        ? o
        : undefined;
    });
    say(`${label}: ${String(failed.Partner_Center_Sync_Message__c)}`);
  }
}

async function sellerFixesADeal(stage: Stage): Promise<void> {
  heading('The seller adds the customer contact on Adventure Works, and it syncs');
  await stage.org.seller
    .sobject('Opportunity')
    .update({ Id: stage.org.noContact, Co_Sell_Customer_Contact__c: stage.org.adventureBuyer });
  const fixed = await synced(stage, stage.org.noContact, 'Adventure Works to sync after the fix');
  say(
    `Adventure Works → referral ${String(fixed.Partner_Center_Referral_Id__c)}, co-sell with Microsoft requested`,
  );
}

async function microsoftWins(stage: Stage, referralId: string): Promise<void> {
  heading('Microsoft wins the Contoso deal in Partner Center');
  await stage.pcControl.microsoftUpdate(referralId, {
    status: 'Closed',
    substatus: 'Won',
  });
  const won = await waitFor('the opportunity to become Closed Won', async () => {
    const o = await readOpportunity(stage, stage.org.valid);
    return o.StageName === 'Closed Won' ? o : undefined;
  });
  say(
    `signed webhook → bridge → Salesforce: stage ${String(won.StageName)}, Partner Center ${String(won.Partner_Center_Status__c)}/${String(won.Partner_Center_Substatus__c)}`,
  );
}

async function microsoftCreatesAReferral(stage: Stage): Promise<void> {
  heading('Microsoft creates a referral for the partner (a deal Salesforce has never seen)');
  const incoming = await stage.pcControl.microsoftCreate({
    name: 'Northwind Traders – modern workplace',
    qualification: 'SalesQualified',
    customerProfile: {
      name: 'Northwind Traders AS',
      address: {
        addressLine1: 'Karl Johans gate 1',
        city: 'Oslo',
        postalCode: '0154',
        country: 'NO',
      },
      size: '51to250employees',
      team: [
        {
          firstName: 'Nora',
          lastName: 'Berg',
          email: 'nora.berg@northwind.example',
          phoneNumber: '+47 22 00 00 00',
        },
      ],
    },
    consent: {
      consentToShareInfoWithOthers: true,
      consentToContact: true,
      consentToMicrosoftToContactSpecificPartners: true,
      consentToShareReferralWithMicrosoftSellers: true,
    },
    details: {
      dealValue: 75_000,
      currency: 'USD',
      closingDateTime: `${stage.org.closeDate}T00:00:00Z`,
      notes: 'The customer asked Microsoft for a partner to roll out Microsoft 365 Copilot.',
      requirements: { solutions: [{ id: SOLUTIONS[2]!.id }] },
    },
  });
  const incomingId = String(incoming.id);
  say(`Microsoft's referral ${incomingId} has no CRM ID`);
  const crmId = await waitFor('the CRM ID to be written back to the referral', async () => {
    const all = await stage.pcControl.referrals();
    const found = all.find((r) => r.id === incomingId);
    return typeof found?.externalReferenceId === 'string' && found.externalReferenceId
      ? found.externalReferenceId
      : undefined;
  });
  const created = await readOpportunity(stage, crmId);
  say(
    `→ new opportunity ${crmId} "${String(created.Name)}" (sync ${created.Sync_with_Partner_Center__c ? 'on' : 'off'}), its id written back as the referral's CRM ID`,
  );
}

async function explainTheValidDeal(stage: Stage): Promise<void> {
  heading(`cosell explain ${stage.org.valid}`);
  const explained = await waitFor('the journal to hold the inbound change', async () => {
    const result = await cosell(['explain', stage.org.valid], stage.env, stage.workDir);
    return result.code === 0 && result.stdout.includes('Inbound') ? result : undefined;
  });
  for (const line of explained.stdout.trim().split('\n')) say(line);
}

/** The scenes in order; the first one fails if the valid deal never syncs. */
export async function walkThrough(stage: Stage): Promise<void> {
  const referralId = await validDealSyncs(stage);
  await incompleteDealsGetTheirFix(stage);
  await sellerFixesADeal(stage);
  await microsoftWins(stage, referralId);
  await microsoftCreatesAReferral(stage);
  await explainTheValidDeal(stage);
}

export async function showCallCounts(stage: Stage): Promise<void> {
  heading('Calls made, as the emulators counted them (GET /__emulator/stats)');
  const pcStats = (await stage.pcControl.stats()) as unknown as {
    requests: Record<string, number>;
    dailyCalls: Record<string, number>;
    deliveries: Json;
  };
  const sfStats = (await stage.sfControl.stats()) as unknown as {
    requests: Record<string, number>;
    total: number;
  };
  say(`Partner Center Referrals API calls today: ${sumOf(pcStats.dailyCalls)}`);
  for (const [route, count] of Object.entries(pcStats.requests).filter(([r]) =>
    r.includes('/referrals'),
  )) {
    say(`  ${String(count).padStart(4)}  ${route}`);
  }
  say(`webhook deliveries: ${JSON.stringify(pcStats.deliveries)}`);
  say(`Salesforce requests: ${sfStats.total} in all, e.g.`);
  for (const [route, count] of Object.entries(sfStats.requests)
    .filter(([r]) => /query|composite|cometd/.test(r))
    .slice(0, 6)) {
    say(`  ${String(count).padStart(4)}  ${route}`);
  }
}
