/**
 * The prose of docs/BENCHMARKS.md that does not come from numbers: how the baseline is modelled,
 * how each figure is measured, and why a target is missed when it is (written after profiling).
 */
import type { SuiteResults } from './suite';
import type { TargetResult } from './targets';

const ECHO_RACE =
  "Every outbound change sends exactly one write (one PATCH per change, one POST per new referral: the CI guard in test/bench asserts it), so calls above 1.0 are reads. The known sources: our own webhook echo outrunning the outbound worker's save of the PATCH result (since d0575c6 the inbound worker waits for an in-progress send of that opportunity and re-checks the echo before reading), and, since Partner Center answers PATCH with 204 and no new updatedDateTime, an echo that is not recognised by time: the worker now counts one expected echo per 204 PATCH (in memory; after a restart an echo costs one read). A run that still shows GETs here has hit another echo path: compare the `GET /v1.0/engagements/referrals/{id}` count in `details.ours.details.steady.partnerCenterRoutes` of bench/results/latest.json.";

/** Why a target is missed, written after profiling; shown only when a run misses it. */
const WHY_MISSED: Record<string, string> = {
  'steady-pc': ECHO_RACE,
  'burst-ratio':
    "Not reachable against an honest polling model, and not a bridge defect. The 20× target assumes the flow-style connector runs once per edit (50 runs × GET + PATCH = 100 calls). Its Salesforce trigger polls instead: every poll returns each record modified since the previous poll once, however many times it changed. A 50-edit burst inside one second therefore falls within one poll interval (2 calls: GET + PATCH) or straddles one poll (4 calls: two runs); with the benchmark's 2 s interval a 1 s burst straddles a poll about half the time, and with Microsoft's real interval (sellers are told to expect ~10 minutes) almost never. The bridge spends at most 2 calls (the first edit at once, the rest coalesced into one PATCH at the window's end, issue 17's leading + trailing edge). So the honest ratio is 1–2× (sometimes 4×), and 20× would need the baseline to make ≥ 20 calls for one burst, i.e. ≥ 10 flow runs, i.e. a poll every ≤ 100 ms — no polling connector does that. The model is not made worse to hit the number; the polling model pays for its cheap burst in latency instead (one poll interval, see the latency rows).",
  'latency-p99':
    "Outbound latency is three requests on the path (CDC delivery, batched read, PATCH) at 100–300 ms each, plus the bridge's own processing: with the leading-edge window (issue 17) a lone edit is due at once and pays no coalescing wait; a sample that arrives while the previous batch is being written back waits for it. On a machine loaded by other work the processing share grows; read this figure together with the load average above.",
  writeback:
    "More than one composite write-back per 200 records means a batch was split. Two causes were found and fixed: the seeding's own change events re-queued jobs mid-batch (the scenario now lets the seeding settle), and the Salesforce emulator answered a held CometD connect at the first event of a transaction, so a 200-record switch-on reached the bridge as 1 event and then 199 and the bridge sent a batch of 1 (the emulator now answers with the transaction's events together, as Salesforce publishes them after the commit). If this still shows, the `sync.outbound.batch` debug lines (BRIDGE_LOG_LEVEL=debug with BENCH_BRIDGE_LOG) name the batch below 200.",
  'bulk-memory':
    "The bridge process (it runs alone in its own process; the model runs inside the benchmark runner and has no figure) stayed above 200 MB. Heap snapshots and /proc/PID/smaps of the 2,000-opportunity run showed ~40 MB of live JavaScript; the rest was a 128 MB young generation (Node 22+ grows semi-spaces to 64 MB on a large host), an old space grown to ~90 MB between major collections, 141 MB of malloc heap from SQLite statements prepared on every call (now compiled once per SQL text: 34 MB) and ~60 MB of Node's own mapped binary. `cosell run` now starts with `--max-semi-space-size=8 --heap-growing-percent=50` (bridge/bin/cosell.js, execve in the same pid): 167–184 MB in every 2,000-opportunity run measured while building it. A run above 200 MB here means a heap that grew past that again: compare `details.ours.details.bulk` and take a heap snapshot (`--env NODE_OPTIONS=--heapsnapshot-signal=SIGUSR2`).",
  'bulk-ratio':
    "Below 1.5× the flow model (median of the pairs above). The bridge does per deal what the model does not: a durable link save before the deal counts as sent (exactly-once creates), an audit record, and the signed webhook echo of its own create, which the Partner Center emulator signs with RSA (~0.75 ms of CPU each on this host, on the same two cores as both systems) and the bridge verifies; the model polls, keeps nothing and writes no audit. This pass removed most of the bridge's own CPU per deal (profiles: store commits, the global fetch, synchronous log writes, the inbox round trip of each echo, the list above), and in the pass's A/B pairs the bridge was at 0.54–1.44× the model at a load of 2–6 and 0.86–0.89× on a quiet host. On a quiet host the bridge is no longer the bottleneck: its event loop is busy 40–75% of the switch-on, the two cores ~80%, and the CPU of the run splits about evenly between the bridge (6.2 s), the Partner Center emulator (6.2 s: creates, and an RSA signature per webhook) and the Salesforce emulator (5.2 s); concurrency 24 instead of 8 gave 244–258 against 239 opportunities/s. What the bridge's profile shows left is spread out: HTTP on both sides (undici, express), the webhook's signature check, zod parsing of each response, the link save and GC.",
  'catch-up-ratio':
    "Slower than the flow model (median of the pairs above). The model is a loop inside the benchmark runner that is already running and signed in when it is restarted; the bridge is a process that starts, loads its code (~0.45 s of module loading on this host even with Node's compile cache), signs in to both services, subscribes to two change-event channels and lists the Partner Center referrals changed since its watermark (all 2,500 after the bulk run, 25 pages) before its first send. Its 500 PATCHes then go in batches of 200 with one read and one write-back each, and each PATCH's webhook echo comes back to be verified. This pass took the Salesforce sweep out of the restart (the replay brings the changes), recognised echoes without the inbox, and cut the per-call CPU; in the pass's A/B pairs the bridge took 1.0–2.2× the model's time (1.6–2.0× on a quiet host, where the restart's own start-up, about 1.3 s from spawn to the first send, is most of the difference).",
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
    why: 'A target since issue 17 (≥ 1.5× the model): see the findings above.',
  },
  catchUpSeconds: {
    better: 'lower',
    why: 'A target since issue 17 (no slower than the model): see the findings above.',
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
 * The previous full run (issue 17's third pass), so the page shows what changed and why. Figures
 * of ours only; the baseline model did not change.
 */
const PREVIOUS_RUN = {
  generatedAt: '2026-12-05T02:13:34.277Z (issue 17 third pass, load average 8–15)',
  ours: {
    partnerCenterCallsPerChange: 1,
    salesforceCallsPerChange: 0.16,
    burstCalls: 2,
    loneEditLatencyMsP50: 211,
    outboundLatencyMsP50: 745,
    outboundLatencyMsP99: 1052,
    inboundLatencyMsP50: 844,
    bulkOpportunitiesPerSecond: 18.23,
    writebackCallsPer200: 1.1,
    peakRssMb: 188.168,
    catchUpSeconds: 47.76,
    catchUpPartnerCenterCalls: 526,
    catchUpSalesforceCalls: 59,
  } as Record<string, number>,
  /** The model in that run, for the ratios the targets are about (one pair then). */
  ratios: { bulk: 0.321, catchUp: 6.794 },
};

const CHANGES = `The previous run timed bulk and catch-up once, the bridge at a load of ~15 and the model
minutes later at ~8 (bulk 0.32× the model, catch-up 6.79× its time); single pairs on this host
swung from 0.32× to 2.2× on bulk with the same code. This run times both in several pairs and
reports the median (the table of pairs above).

Issue 17, fourth pass (profiled with \`node --cpu-prof\` on the bridge process, timelines per
250 ms; A/B pairs of \`--only bulk,catchUp --rounds 1\` at a load of 2–6 from other engineers'
suites, so single figures are indicative):

- **The catch-up after the bulk run re-read 2,500 opportunities** (\`sync/engine.ts\`). At start
  the bridge swept every opportunity modified since its Salesforce watermark, i.e. the 2,000 our
  own write-back had just touched, then replayed the change stream anyway: ~2 s of CPU (SOQL pages,
  a compare per record) to find the 500 the replay brings. With a change stream there is no
  Salesforce sweep at start now: each channel replays from its stored replay id, and when it
  cannot (no position stored, or one outside the retention window) the subscriber's handlers
  sweep, as before (test/e2e/recovery.test.ts proves both). Catch-up Salesforce calls after bulk:
  59 → 11. In the main run, where the catch-up follows four other scenarios, it was 43: the
  Partner Center listing took 31 referrals we had patched earlier for Microsoft's changes (a PATCH
  is answered 204, so our stored time lagged) and applied them back to Salesforce, one read
  each. A listed referral equal to the state we stored after our PATCH, but for the server's
  \`updatedDateTime\` and \`eTag\`, is now ours: its time and eTag are stored, nothing is queued
  (\`echo.ts\` \`isOwnListedState\`; any other difference is still read). The stream also subscribes while the Partner Center catch-up lists, and the workers
  start once both are done (one after the other they held the first send back by ~0.3 s; workers
  started before the replay sent batches the replay queued again, 40 more reads). The Partner
  Center catch-up saves its watermark every 1,000 referrals, not 100 (280 ms of durable commits
  for the 2,500-referral listing).
- **Webhook echoes recognised at intake** (\`sync/webhook-intake.ts\`, \`sync/echo-settle.ts\`).
  Every echo of our own PATCH or create used to be recorded durably, claimed, matched and
  completed (about a third of the catch-up's CPU); intake now waits (bounded) for the send in
  flight and answers an echo without storing it. Anything not proven an echo is stored as before.
- **One transaction per event-loop turn** (\`store/sqlite/\`): every store write made in the same
  turn shares one commit (each in its own savepoint), durable if any of them must be; links parse
  their stored referral only when read. Before, \`inTransaction\` (BEGIN/COMMIT) was 0.9–1.2 s and
  saving links 1.2–1.5 s of a bulk run's 6.8–8.4 busy seconds.
- **Referrals API over undici's \`request\`** (\`partner-center/http-fetch.ts\`): the global fetch
  cost ~0.4 ms of CPU per call against ~0.08 ms (loopback, 8 in flight; one call per deal).
- **Log lines written asynchronously** by \`cosell run\`: the synchronous write blocked on a full
  stdout pipe (0.5 s of 6.8 s busy in the bulk profile: write() and atomic-sleep).
- **Diffs copy only the changed path** instead of \`structuredClone\` of the whole referral (~2.5%).
- **Write-backs: one per 200.** The Salesforce emulator answered a held CometD connect at the first
  event of a transaction, so a 200-record switch-on arrived as 1 event then 199: the bridge sent a
  batch of 1 and paid an 11th write-back for 2,000 deals. It now answers with the whole
  transaction's events, as Salesforce publishes them after the commit (emulator test added).
- **Tried, not shipped:** reading each webhook certificate's facts once (measured 0.029 → 0.027 ms
  per delivery: not worth the code); \`MALLOC_ARENA_MAX=2\` (peak RSS 185 → 178 MB in one run,
  within noise); bundling the bridge into one file (module loading 396–491 ms against 357–447 ms
  with Node's compile cache: no gain); \`--max-semi-space-size=16\` and
  \`BRIDGE_OUTBOUND_CONCURRENCY\` 16 or 32 (A/B pairs at a load of 5–8 could not tell them apart
  from the defaults).

Earlier passes of issue 17 (see git history of this page for their figures): compiled JavaScript
instead of tsx, shipped defaults only in the benchmark, the leading + trailing edge send window
(lone edit no longer waits 2 s; a 50-edit burst ≤ 2 calls), \`BRIDGE_OUTBOUND_CONCURRENCY\` as a
variable, \`cosell status\` reading the store alone (0.655 → 0.214 s CPU), the budget counted in
blocks of 32 (8.3 s of a 29.5 s busy bulk profile was one fsync per call), SQL compiled once per
statement (malloc heap 141 → 34 MB), \`cosell run\` heap flags (peak RSS 335 → ~180 MB), and
webhook deliveries of one turn in one durable commit.`;

export function history(results: SuiteResults): string {
  const rows = Object.entries(PREVIOUS_RUN.ours).map(([key, before]) => {
    const now = results.ours[key];
    return `| \`${key}\` | ${before} | ${typeof now === 'number' ? now : 'n/a'} |`;
  });
  const ratio = (key: string) => results.ratios[key] ?? 'n/a';
  rows.push(
    `| bulk ÷ the model, same run | ${PREVIOUS_RUN.ratios.bulk}× | ${ratio('bulkOpportunitiesPerSecond')}× |`,
    `| catch-up time ÷ the model's, same run | ${PREVIOUS_RUN.ratios.catchUp}× | ${ratio('catchUpSeconds')}× |`,
  );
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
# Experiments (print JSON, never write this page): a variable for the bridge process, a bulk
# size, the bridge's log lines kept in a file, a CPU profile of the bridge
npm run bench -- --only bulk --env BRIDGE_OUTBOUND_CONCURRENCY=16 --bulk 1000
BENCH_BRIDGE_LOG=/tmp/bridge.log npm run bench -- --only catchUp --no-write
npm run bench -- --only bulk --system ours --env "NODE_OPTIONS=--cpu-prof --cpu-prof-dir=/tmp/prof"
\`\`\`
`;
