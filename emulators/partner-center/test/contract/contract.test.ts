import { harnessForFile, WebhookReceiver } from '../helpers';
import type { ContractContext, DocumentedFact } from './context';
import { LISTING_FACTS } from './listing-facts';
import { REFERRAL_FACTS } from './referral-facts';
import { SERVICE_FACTS } from './service-facts';

/**
 * Microsoft's documented Partner Center behaviour as a table of facts (our words; the source
 * keys are those of shared/reference/partner-center-api.md), each run against the emulator as
 * it starts by default. When the emulator drifts from the documentation, the fact that names it
 * fails here.
 */
export const DOCUMENTED_FACTS: readonly DocumentedFact[] = [
  ...LISTING_FACTS,
  ...REFERRAL_FACTS,
  ...SERVICE_FACTS,
];

const PAGE_SIZE = 3;

describe('Partner Center as Microsoft documents it (contract)', () => {
  const pc = harnessForFile({ pageSize: PAGE_SIZE, webhookRetryScheduleMs: [100] });
  let receiver: WebhookReceiver;
  let context: ContractContext;

  beforeEach(async () => {
    receiver = await new WebhookReceiver().start();
    context = {
      pc,
      referralsToken: await pc.userToken(),
      webhookToken: await pc.appToken(),
      receiver,
      pageSize: PAGE_SIZE,
    };
  });
  afterEach(() => receiver.stop());

  it('has one fact per id', () => {
    const ids = DOCUMENTED_FACTS.map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(DOCUMENTED_FACTS.map((f) => [f.id, f] as const))('%s', async (_id, fact) => {
    await fact.check(context);
  });
});
