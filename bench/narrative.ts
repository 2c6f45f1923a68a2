/**
 * The prose of docs/BENCHMARKS.md that does not come from numbers: how the baseline is modelled,
 * how each figure is measured, and why a target is missed when it is (written after profiling).
 */
import type { SuiteResults } from './suite';
import type { TargetResult } from './targets';

const ECHO_RACE =
  "Every outbound change sends exactly one write (one PATCH per change, one POST per new referral: the CI guard in test/bench asserts it). The extra calls are GETs caused by our own webhook echoes: Partner Center fires `referral-updated` (or `referral-created`) for our write, and the delivery can reach the bridge before the bridge has stored the answer of that write. The webhook intake recognises an echo only by comparing `ResourceChangeUtcDate` with the stored `updatedDateTime` (bridge/src/sync/webhook-intake.ts), so an early echo is queued as news and the inbound worker reads the referral once to find nothing new. The fix belongs in the sync engine (remember the in-flight write before sending it, or let the inbound worker defer a delivery that names a referral with a write in flight); it is outside the benchmark's paths and was reported to the engine's owner rather than patched here.";

/** Why a target is missed, written after profiling; shown only when a run misses it. */
const WHY_MISSED: Record<string, string> = {
  'steady-pc': ECHO_RACE,
  'burst-ratio':
    "The 20× target assumes the flow-style connector runs once per edit (50 runs × GET + PATCH = 100 calls). The connector's Salesforce trigger polls instead, and a poll returns a record once however often it changed since the last poll, so the model pays GET + PATCH once per poll the burst spans: 2 calls (one poll) or 4 (two). Our bridge spends 1 (at most 2) on the same burst, so the honest ratio against a polling model is 2–4×, not 20×. The polling model pays for its cheap burst in latency instead (see the latency rows: one poll interval, about 10 minutes in the real connector per Microsoft's guidance to sellers).",
  'latency-p99':
    "Outbound latency is dominated by waits the bridge chooses: the 500 ms coalescing window (it is what folds a burst into one call), then the outbound worker, woken when the change is recorded but finding the job not yet due, sleeps its 500 ms idle interval before it claims the job; a job that arrives while a batch is in flight waits for that batch's write-back. Each is a design choice in bridge/src/sync (engine.ts pollIntervalMs, BRIDGE_COALESCE_WINDOW_MS); waking the worker at the job's due time would remove up to 500 ms.",
  writeback:
    'More than one composite write-back per 200 records means the outbound worker split the records into several batches (it claims what is due when it looks).',
  'bulk-memory': "The bridge's resident memory rose above the ceiling during the bulk run.",
};

export function findings(targets: TargetResult[]): string {
  const missed = targets.filter((t) => t.met === false);
  if (missed.length === 0) return '## Findings\n\nEvery target was met in this run.';
  const items = missed.map(
    (t) =>
      `- **${t.target}** (target ${t.limit}, measured ${Math.round((t.measured ?? Number.NaN) * 100) / 100}): ${WHY_MISSED[t.id] ?? 'not yet explained.'}`,
  );
  return `## Findings: targets missed, and why\n\n${items.join('\n')}`;
}

/** Where the bridge does worse than the model on a figure that has no target: said, not hidden. */
const WHERE_BASELINE_WINS: Record<string, { better: 'lower' | 'higher'; why: string }> = {
  bulkOpportunitiesPerSecond: {
    better: 'higher',
    why: "The model fires 25 flow runs at once and persists nothing. The bridge sends at most a few Partner Center calls at a time (the engine's outbound concurrency, 4 at the time of writing), stores a create intent before and the link after every create so a crash can never duplicate a referral, and reads back some of its own webhook echoes (see the echo finding). It trades throughput for exactly-once creates and ~0.5% of the Salesforce calls.",
  },
  catchUpSeconds: {
    better: 'lower',
    why: "On start the bridge replays the missed change events and also runs its reconciliation sweep: every sync-enabled opportunity modified since its previous sweep is re-checked (read in batches of 200, diffed, no call when nothing changed). In the full run the previous sweep was at the world's start, so about 2,600 opportunities (the bulk set included) were re-checked, and the 500 changed ones waited among them: the bridge works through about 30 jobs per second on this machine even when a job sends nothing (store round trips per job, batches of 200 with a write-back pause between them). Profiled separately: 300 opportunities with 600 changes and no earlier scenarios converged in 18.6 s (3 s of it process start-up); 50 in 3.5 s after /readyz. The model only looks past its watermark and verifies nothing. Both spend their calls as the table shows: the bridge one PATCH per changed opportunity plus echo reads, the model GET + PATCH + a Salesforce update per opportunity. Making a re-check that finds nothing cheaper (or sweeping only since the replay cursor's time when the replay is intact) is an engine change, recorded for its owner.",
  },
};

export function observations(results: SuiteResults): string {
  const items: string[] = [];
  for (const [key, note] of Object.entries(WHERE_BASELINE_WINS)) {
    const ours = results.ours[key];
    const base = results.baseline[key];
    if (typeof ours !== 'number' || typeof base !== 'number') continue;
    const worse = note.better === 'higher' ? ours < base : ours > base;
    if (worse) items.push(`- \`${key}\`: ours ${ours}, baseline ${base}. ${note.why}`);
  }
  return items.length === 0 ? '' : `## Where the flow model does better\n\n${items.join('\n')}`;
}

export const METHOD = `## The baseline is a model, not Microsoft's connector

\`bench/baseline/flow-model.ts\` re-implements the algorithm of Microsoft's flow-based co-sell
connector as documented, to run it on the same workload and the same emulator builds: every poll
interval one SOQL query for sync-enabled opportunities modified since the last poll, then one
"flow run" per returned record (25 in parallel): GET the referral by external id
(\`$filter=externalReferenceId eq '…'\`), then PATCH the connector's synced fields (name, deal value,
currency, closing date, notes — as they are, no diff) or POST a new referral, then one REST update
of the opportunity (referral id, sync status, last synced). Salesforce through jsforce as its own
user, Partner Center through plain \`fetch\` with the App+User token. Choices that **favour the
baseline**: it polls every 2 s (Microsoft tells sellers to expect about ten minutes), its own
write-back never re-triggers it (its query skips records it modified last), it never retries, and
it writes no audit records. The bridge writes an audit record per attempt (in batches of 200).

## How each figure is measured

- **Where the numbers come from.** Each measured phase takes \`GET /__emulator/stats\` from both
  emulators before and after, once the system has settled (idle, and no Referrals API call for
  1.5 s — for the model, one poll interval + 0.5 s). Partner Center calls = requests to
  \`/v1.0/engagements/referrals…\` (token requests excluded for both systems). Salesforce calls =
  the emulator's \`apiRequestsUsed\` (REST requests, what the org's daily API limit counts;
  Streaming API long polls excluded, as Salesforce excludes them). Sellers' edits go through the
  emulator's UI-like control route (not API calls, as in a browser); the bulk switch-on is a
  seller's sObject Collections update, and those calls are subtracted. The systems' own
  counters (the bridge's \`cosell_api_calls_total\` on \`/metrics\`, the model's counter) are
  compared with the emulator in the cross-check table.
- **Steady edits.** Rounds of one Amount edit to each of N synced opportunities; each round waits
  until every referral shows its new value. Calls ÷ (N × rounds).
- **Burst.** 50 Amount edits to one synced opportunity, 20 ms apart (within one second); calls
  until the referral shows the last value and the system has settled.
- **Bulk.** N opportunities with complete co-sell data are switched on together (sObject
  Collections, 200 per call, sent at once). Throughput = N ÷ time from the switch-on until every
  referral exists and the system is idle (write-backs and audit records written). Write-back
  calls = composite updates plus single-record Opportunity updates, per 200 records (audit inserts
  are separate, in the JSON). After the meter, one SOQL query confirms every opportunity shows
  \`Synced\`. Peak RSS = the larger of \`VmRSS\` sampled every 250 ms and the kernel's \`VmHWM\` of
  the bridge process (the model runs inside the runner process: not measured).
- **Latency.** Every request to either emulator (REST, token, CometD long polls, Referrals API)
  is delayed by 100–300 ms: the shared fault plane takes one rule per request, so a queue of
  one-shot rules with latencies drawn uniformly from that range (400 in quick, 1,000 in full)
  followed by a fixed 200 ms rule gives each request its own delay. Webhook deliveries (outgoing
  from the Partner Center emulator) and control routes are not delayed. One sample per second,
  each to its own opportunity (slower than either direction's service time, so the figures are
  latency, not queueing). Outbound: clock starts just before the seller's edit is sent, ends at
  the referral's \`updatedDateTime\` (stamped when the PATCH is applied). Inbound: starts just
  before Microsoft's change, ends at the opportunity's \`LastModifiedDate\` (stamped when the
  bridge's write lands). Both emulators share the host clock. "Above the injected latency" =
  p99 − 3 × 300 ms: three requests lie on the outbound path (CDC delivery, batched read, PATCH),
  each delayed at most 300 ms. The model has no inbound path (Microsoft's inbound flow is
  webhook-triggered too): n/a.
- **Catch-up.** The system is stopped (the bridge gracefully; the model stops polling and keeps
  its watermark), sellers make the changes (two Amount edits to each of C/2 synced
  opportunities), then the system is started: seconds from start until every referral shows the
  last edit and the system is idle, and the calls used in the whole phase (the restart's own
  calls included).
- **Workarounds in the harness.** The bridge under test started its change stream twice
  (\`bridge/src/sync/engine.ts\`, \`start\` and \`startupSweeps\` at the time of writing) and changes
  made in the first seconds after \`/readyz\` were sometimes never recorded; the benchmark edits a
  sync-off canary opportunity until \`/metrics\` shows a received change event before measuring.

## Reproduce

\`\`\`sh
npm run bench              # full profile (2,000 / 1,000), several minutes, writes this page
npm run bench -- --quick   # every scenario, smaller, both systems at once: under two minutes
npm run bench -- --only burst,steady --system ours --no-write   # one part, print JSON
\`\`\`
`;
