/**
 * What the demo starts from: three co-sell-ready solutions in the partner's tenant (imported
 * into Salesforce with `cosell solutions import`), and a small org with one complete deal and
 * two incomplete ones, each with sync switched on.
 */
import { writeFileSync } from 'node:fs';
import type { Connection } from 'jsforce';
import { join } from 'node:path';
// The demo drives the emulators with the same helpers as the test suites.
import type {
  Json,
  PartnerCenterControl,
  SalesforceControl,
} from '../../test/support/control-clients';
import { connectAs } from '../../test/support/seller';
import { INTEGRATION_USERNAME } from '../../test/support/seed';
import { say } from './narration';
import { cosell } from './processes';

export const SOLUTIONS = [
  { id: 'SOL-DEMO-0001-AZR', name: 'Contoso Cloud Migration Factory' },
  { id: 'SOL-DEMO-0002-DATA', name: 'Contoso Data Platform on Azure' },
  { id: 'SOL-DEMO-0003-AI', name: 'Contoso Copilot Accelerator' },
];

/** Lists the solutions in Partner Center and imports their export into Salesforce. */
export async function importSolutions(
  pcControl: PartnerCenterControl,
  env: NodeJS.ProcessEnv,
  workDir: string,
): Promise<void> {
  for (const solution of SOLUTIONS) await pcControl.addSolution(solution);
  say(
    `Partner Center lists ${SOLUTIONS.length} co-sell-ready solutions: ${SOLUTIONS.map((s) => s.id).join(', ')}`,
  );
  const csv = join(workDir, 'solutions-export.csv');
  writeFileSync(
    csv,
    ['Solution ID,Solution Name', ...SOLUTIONS.map((s) => `${s.id},"${s.name}"`)].join('\n'),
  );
  const imported = await cosell(['solutions', 'import', csv], env, workDir);
  if (imported.code !== 0)
    throw new Error(`cosell solutions import failed:\n${imported.stdout}${imported.stderr}`);
  say(`$ cosell solutions import solutions-export.csv → ${imported.stdout.trim()}`);
}

/** The seeded org: the seller's connection, the deals' ids and what the walkthrough needs next. */
export interface DemoOrg {
  seller: Connection;
  closeDate: string;
  /** Complete and valid. */
  valid: string;
  /** Its account's country ("Germany") is not a two-letter ISO code. */
  noCountry: string;
  /** Asks Microsoft for help but names no customer contact. */
  noContact: string;
  /** The contact the seller adds to `noContact` to fix it. */
  adventureBuyer: string;
}

export async function seedOrg(
  salesforceUrl: string,
  sfControl: SalesforceControl,
): Promise<DemoOrg> {
  const seller = await connectAs(salesforceUrl, sfControl, 'seller');
  const create = (sobject: string, fields: Json): Promise<string> =>
    sfControl.createRecord(sobject, fields);
  const [azureSolution] = (
    await seller.query<{ Id: string }>(
      `SELECT Id FROM Microsoft_Solution__c WHERE Solution_Id__c = '${SOLUTIONS[0]!.id}'`,
    )
  ).records;
  const solutionRecordId = azureSolution!.Id;
  const closeDate = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);

  const contoso = await create('Account', {
    Name: 'Contoso Pharma AB',
    BillingCountry: 'SE',
    BillingCity: 'Stockholm',
  });
  const contosoBuyer = await create('Contact', {
    AccountId: contoso,
    FirstName: 'Astrid',
    LastName: 'Lindqvist',
    Email: 'astrid.lindqvist@contoso-pharma.example',
  });
  const fabrikam = await create('Account', {
    Name: 'Fabrikam Logistics GmbH',
    BillingCountry: 'Germany',
    BillingCity: 'Hamburg',
  });
  const adventure = await create('Account', {
    Name: 'Adventure Works Ltd',
    BillingCountry: 'GB',
    BillingCity: 'Leeds',
  });
  const adventureBuyer = await create('Contact', {
    AccountId: adventure,
    FirstName: 'Oliver',
    LastName: 'Hughes',
    Email: 'oliver.hughes@adventure-works.example',
  });

  const opportunity = async (fields: Json, sync: 'on' | 'imported'): Promise<string> => {
    const id = await create('Opportunity', {
      StageName: 'Qualification',
      CloseDate: closeDate,
      Referral_Currency__c: 'USD',
      ...fields,
    });
    await create('Co_Sell_Solution__c', {
      Opportunity__c: id,
      Microsoft_Solution__c: solutionRecordId,
    });
    // The package's validation rules stop a seller from switching sync on for an incomplete
    // deal, in any status; only the bridge's own writes are exempt (Co_Sell_Bridge_Writes), so
    // the incomplete deal (as if imported from an old CRM) is switched on as the integration
    // user, and the bridge then names what to fix.
    if (sync === 'on') await sfControl.updateRecord(id, { Sync_with_Partner_Center__c: true });
    else
      await sfControl.updateRecord(
        id,
        { Sync_with_Partner_Center__c: true, Partner_Center_Sync_Status__c: 'Error' },
        INTEGRATION_USERNAME,
      );
    return id;
  };
  const valid = await opportunity(
    {
      Name: 'Contoso Pharma – move the lab systems to Azure',
      AccountId: contoso,
      Amount: 250_000,
      Description: 'Lift and shift of 120 VMs, then modernise the LIMS.',
      Co_Sell_Customer_Contact__c: contosoBuyer,
    },
    'on',
  );
  const noCountry = await opportunity(
    { Name: 'Fabrikam Logistics – data platform', AccountId: fabrikam, Amount: 90_000 },
    'imported',
  );
  const noContact = await opportunity(
    {
      Name: 'Adventure Works – Copilot pilot',
      AccountId: adventure,
      Amount: 40_000,
      Co_Sell_Help_Needed__c: 'ProofOfConceptOrDemo',
    },
    'imported',
  );
  say(
    '3 accounts (SE, "Germany" — not an ISO code, GB), 2 contacts, 3 opportunities with sync on:',
  );
  say(`  ${valid}  Contoso Pharma – complete and valid`);
  say(
    `  ${noCountry}  Fabrikam Logistics – account country "Germany" is not a two-letter ISO code`,
  );
  say(`  ${noContact}  Adventure Works – asks Microsoft for help but names no customer contact`);
  return { seller, closeDate, valid, noCountry, noContact, adventureBuyer };
}
