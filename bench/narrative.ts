/**
 * The prose of docs/BENCHMARKS.md that does not come from numbers: how the baseline is modelled,
 * how each figure is measured, and why a target is missed when it is (written after profiling).
 */
import type { SuiteResults } from './suite';
import type { TargetResult } from './targets';

const ECHO_RACE =
  "Every outbound change sends exactly one write (one PATCH per change, one POST per new referral: the CI guard in test/bench asserts it), so calls above 1.0 are reads. The known source was our own webhook echo outrunning the outbound worker's save of the PATCH result; since d0575c6 the inbound worker waits for an in-progress send of that opportunity and re-checks the echo before reading (steady edits measured 1.0 after it). A run that still shows GETs here has hit another echo path: compare the `GET /v1.0/engagements/referrals/{id}` count in `details.ours.details.steady.partnerCenterRoutes` of bench/results/latest.json.";

/** Why a target is missed, written after profiling; shown only when a run misses it. */
const WHY_MISSED: Record<string, string> = {
  'steady-pc': ECHO_RACE,
  'burst-ratio':
    "Not reachable against an honest polling model, and not a bridge defect. The 20× target assumes the flow-style connector runs once per edit (50 runs × GET + PATCH = 100 calls). Its Salesforce trigger polls instead: every poll returns each record modified since the previous poll once, however many times it changed. A 50-edit burst inside one second therefore falls within one poll interval (2 calls: GET + PATCH) or straddles one poll (4 calls: two runs); with the benchmark's 2 s interval a 1 s burst straddles a poll about half the time, and with Microsoft's real interval (sellers are told to expect ~10 minutes) almost never. The bridge spends at most 2 calls (the first edit at once, the rest coalesced into one PATCH at the window's end, issue 17's leading + trailing edge). So the honest ratio is 1–2× (sometimes 4×), and 20× would need the baseline to make ≥ 20 calls for one burst, i.e. ≥ 10 flow runs, i.e. a poll every ≤ 100 ms — no polling connector does that. The model is not made worse to hit the number; the polling model pays for its cheap burst in latency instead (one poll interval, see the latency rows).",
  'latency-p99':
    "Outbound latency is three requests on the path (CDC delivery, batched read, PATCH) at 100–300 ms each, plus the bridge's own processing: with the leading-edge window (issue 17) a lone edit is due at once and pays no coalescing wait; a sample that arrives while the previous batch is being written back waits for it. On a machine loaded by other work the processing share grows; read this figure together with the load average above.",
  writeback:
    'More than one composite write-back per 200 records means a batch was split. Profiled: the first claim of the bulk run took only the first CDC delivery (1 event, then 199/200 a few ms later), and change events of the seeding itself (sync off) re-queued jobs mid-batch. The outbound loop now waits up to 500 ms for a full batch when one is about to be due (bridge/src/sync/claim-schedule.ts), and the scenario lets the seeding settle before the switch-on. If this still shows, look for batches cut by jobs re-queued while claimed (a newer change event arrived during the batch).',
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
    why: "Most of the rise from the previous run (96.8/s) is the quieter host: the model rose as much (160 → 259/s). Measured A/B, the bridge before and after this round's store changes, interleaved runs of the bridge alone at load 1.4–2.4: 150, 118, 135, 131/s before (median ~133) against 149, 157, 144/s after (median ~149), about +12%. Profiled (see \"Changes since the previous run\"): at load ~4 a third of the bridge's busy time was SQLite disk syncs on the event loop; they now cost about two per created referral (the batch's create intents, once, and the Partner Center budget count before each call, both needed for exactly-once creates and the daily budget), and matter less on a quiet disk. What is left is by design: the model fires 25 flow runs at once and persists nothing; the bridge sends at most 8 Partner Center calls at a time per batch (`outboundConcurrency`), stores the link and audit of every create before settling, and writes every result back (1 call per 200 instead of 200). Not done: more calls in flight (not tried in this round: with both emulators on the same 2 cores the gain is uncertain, and `outboundConcurrency` is not yet a configuration variable); reserving the budget per batch instead of per call (it would count calls that are never made).",
  },
  catchUpSeconds: {
    better: 'lower',
    why: 'Target (faster than the model) not met. 15.2 s in the previous run → the figure above, mostly the quieter host. A/B as for bulk (interleaved, load 1.4–2.4): 8.0, 7.8, 7.4, 8.8 s before (median ~7.9) against 7.4, 7.1, 6.6 s after (median ~7.1), about −10%. Profiled: about 2 s start a new bridge process (TypeScript through tsx) and sign in on both sides, which the model does not pay (it runs inside the benchmark process, already signed in, and only resumes polling); ~1.5 s for the start-up sweep to re-read the changed opportunities in SOQL batches of 200 and queue only the 500 that differ from the last synced referral; ~0.5 s for the Partner Center catch-up listing; then 500 PATCHes, 8 in flight, each with one durable commit left (the budget count; link saves and completions no longer sync the disk one by one). The model makes twice the Partner Center calls and 20× the Salesforce calls, keeps nothing durable and runs 25 flows at once. What would close more of the gap, not done here: start the outbound loop only once the CDC replay has caught up, so replayed events do not re-queue a batch already claimed; ship compiled JavaScript so a restart does not transpile.',
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

/**
 * The run before this round of fixes (2026-11-30, full profile), so the page shows what changed
 * and why. Figures of ours only; the baseline model did not change.
 */
const PREVIOUS_RUN = {
  generatedAt: '2026-11-30T11:53:03.453Z',
  ours: {
    partnerCenterCallsPerChange: 1,
    salesforceCallsPerChange: 0.1,
    burstCalls: 1,
    bulkOpportunitiesPerSecond: 96.796,
    writebackCallsPer200: 1,
    outboundLatencyMsP50: 932,
    outboundLatencyMsP99: 1054,
    catchUpSeconds: 15.192,
    catchUpPartnerCenterCalls: 526,
  } as Record<string, number>,
};

const CHANGES = `What changed since then, found by profiling the bulk and catch-up runs (\`node --cpu-prof\`
on the bridge process, full profile):

- **Where the time went.** About a third of the bridge's busy time in a bulk run at load ~4 was SQLite
  commits: with \`synchronous=FULL\` every write transaction is an fsync (~2 ms on this disk) and
  node:sqlite runs it on the event loop, so nothing else (HTTP answers, webhook verification,
  the next batch) moves meanwhile. Per created referral the bridge committed 4 times (create
  intent, budget count, link + audit, completion), per catch-up PATCH 3 times (budget count,
  link, completion), plus one per CDC delivery. On a quiet host a
  sync is cheaper and the gain smaller (A/B in "Where the flow model does better").
- **Fewer disk syncs, same guarantees** (bridge/src/store/README.md, "SQLite settings"). A
  batch's jobs are settled in one transaction after its write-back (\`settleOutbound\`); the
  create intents of a batch are saved in one FULL transaction before its first create is sent
  (\`saveLinks\`); the link saved after a Partner Center call and the CDC intake (work + replay
  cursor) are lazy commits (\`synchronous=NORMAL\` for that transaction only, WAL). A lazy
  commit survives a process crash like any other; a power loss can roll it back only together
  with every later commit, which re-runs the job as after a crash before the save (the intent
  makes the retry look the referral up, never create it twice) or replays the CDC events. The
  webhook inbox (2xx), the create intent and the Partner Center budget count stay FULL: they
  protect something acknowledged or sent before the next FULL commit. \`synchronous=NORMAL\` for
  the whole database was rejected for that reason (a power loss could drop an acknowledged
  webhook or an intent whose create was sent, i.e. lose a change or duplicate a referral).
- **A fairer comparison.** The model ran with no webhook registered, so in its runs the Partner
  Center emulator signed and sent nothing, while for ours it signed one delivery per change on
  the same 2 cores. The model's world now registers a webhook too (a sink that answers 200, as a
  flow's HTTP trigger does), as Microsoft's connector has one for its inbound flow.`;

export function history(results: SuiteResults): string {
  const rows = Object.entries(PREVIOUS_RUN.ours).map(([key, before]) => {
    const now = results.ours[key];
    return `| \`${key}\` | ${before} | ${typeof now === 'number' ? now : 'n/a'} |`;
  });
  return `## Changes since the previous run (${PREVIOUS_RUN.generatedAt})

| Figure (ours) | Previous run | This run |
| --- | ---: | ---: |
${rows.join('\n')}

${CHANGES}`;
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
Both systems run on fresh emulator processes with the same settings, each with a webhook
registered for the referral events (the model's is a sink that answers 200, as the HTTP trigger of
Microsoft's webhook-triggered inbound flow would).

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
- **Readiness check in the harness.** Before measuring, the benchmark edits a sync-off canary
  opportunity until \`/metrics\` shows a received change event, so no scenario starts before the
  bridge's change stream is live. (It was added as a workaround for the start-up CDC silence, since
  fixed in the bridge and the test harness; it stays as a cheap proof of readiness.)

## Reproduce

\`\`\`sh
npm run bench              # full profile (2,000 / 1,000), several minutes, writes this page
npm run bench -- --quick   # every scenario, smaller, both systems at once: under two minutes
npm run bench -- --only burst,steady --system ours --no-write   # one part, print JSON
\`\`\`
`;
