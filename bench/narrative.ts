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
    "Below 1.5× the flow model (median of the pairs above). \"Where the CPU went\" shows what limits it on this host: both emulators share the two cores with the system, and in the bridge's world they need more CPU than the bridge itself (this run: bridge 5.7–6.3 CPU-seconds for the 2,000 deals, Partner Center emulator 5.9–6.2, Salesforce emulator 3.0–3.6). The CPU ratio of the two worlds predicts each pair's measured ratio closely (0.89, 1.34 and 0.76 predicted; 0.89, 1.13 and 0.71 measured). With every core busy and the emulators costing what they did, 1.5× would have needed a bridge using at most 2.3 and 5.4 CPU-seconds in two of the pairs, and was out of reach even for a bridge using none in the third, where the model's world ran fast. The same work's CPU varies by about a third between runs on this host, which is why every pair is shown. The Partner Center emulator's largest single cost is the RSA signature Microsoft's webhook contract requires on every delivery (about 0.75 ms each), which both worlds pay. What the bridge does per deal that the model does not (a durable link save before a deal counts as sent, an audit record, verifying the signed echo of its own create) is the price of exactly-once creates and of the audit trail; its profile has no single large item left (HTTP on both sides, the store, zod, GC, each a few percent).",
  'catch-up-ratio':
    "Slower than the flow model (median of the pairs above). Here the bridge's own CPU is the difference: \"Where the CPU went\" shows that a bridge using no CPU could have brought the time down to 0.52–0.61× the model's. In this run the bridge process used 3.2–3.5 CPU-seconds for the 500 opportunities, against 1.0–1.3 for the runner with the model in it. About 0.9 of them is start-up (in this session's samples of a restart): loading its code (~0.45 s even with Node's compile cache), signing in to both services, subscribing to two change-event channels and listing the Partner Center referrals changed since its watermark (all 2,500 after the bulk run) before the first send. The rest is ~5 ms per opportunity for what the model does not do: two change events to parse, a durable link save and an audit record per PATCH, the signed webhook echo of each PATCH to verify and recognise, and one read and one write-back per 200. The model is a loop inside the benchmark runner that is already running and signed in when it is restarted, and keeps no state. With every core busy, 1× needed a bridge using at most 2.0–2.4 CPU-seconds in this run's pairs: a quarter to two-fifths less than it used, start-up included. One restart measured step by step after this run (BRIDGE_LOG_LEVEL=debug; each `sync.outbound.batch` line now carries claimMs, readMs, intentsMs, sendMs, auditMs, writeBackMs and settleMs; in this measurement the create-intent save was counted with the sends and the audit journal with the write-back):\n  - the stream subscribed 0.17 s after the sign-in, and all 1,000 missed change events were queued by 0.22 s;\n  - the listing of the 2,500 Partner Center referrals changed since the watermark ended at 0.77 s; the workers start after it;\n  - three batches followed, one after the other: reads of 90–137 ms, 200 sends in 482–561 ms (100 in 297), audit and write-back together 10–26 ms. The last was done at 2.56 s.\n\n  Starting the outbound loop as soon as the stream subscribed, without waiting for the listing, made the restart slower: 4.8 and 5.0 s against 3.1–3.6 s, with 138–190 Salesforce calls against 11. The first batch was claimed from the first 200 replayed events. Each of those opportunities' second edit arrived milliseconds later, so they were read and compared again.",
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
  generatedAt: '2026-12-05T05:29:22.818Z (issue 17 fourth pass, load average 1.1–1.6)',
  ours: {
    partnerCenterCallsPerChange: 1,
    salesforceCallsPerChange: 0.1,
    burstCalls: 1,
    loneEditLatencyMsP50: 162,
    outboundLatencyMsP50: 556,
    outboundLatencyMsP99: 758,
    inboundLatencyMsP50: 599,
    bulkOpportunitiesPerSecond: 250.25,
    writebackCallsPer200: 1,
    peakRssMb: 188.918,
    catchUpSeconds: 3.87,
    catchUpPartnerCenterCalls: 526,
    catchUpSalesforceCalls: 11,
  } as Record<string, number>,
  /** The model in that run, for the ratios the targets are about (median of 3 pairs). */
  ratios: { bulk: 0.94, catchUp: 1.68 },
};

const CHANGES = `Issue 17, fifth pass: measuring where the CPU goes rather than only how long a run takes.

- **CPU per process** (\`bench/cpu-time.ts\`, the section "Where the CPU went"): every timed
  pair's bulk and catch-up windows now record the CPU seconds of the bridge, both emulators and
  the runner (which holds the model), read from \`/proc/PID/stat\`, with what they imply: the
  ratio the two worlds' CPU predicts (it matches the measured bulk ratios closely), what a bridge
  using no CPU could reach with every core busy, and the most CPU a bridge could use and still
  reach 1.5×. It replaces the previous pass's reading of profiles ("the bridge is no longer the
  bottleneck") with measurements: bulk is bounded by the emulators' share of the two cores, the
  catch-up by the bridge's own CPU.
- **The benchmark's own polling perturbed the run.** Waiting for "every referral exists" listed
  all referrals from the Partner Center emulator five times a second; the emulator copied each
  one and serialized the list (about 1 MB at 2,500 referrals). That cost the busiest process of
  the run ~0.8 CPU-seconds per bulk window, and the runner ~0.6. The emulator's control plane now
  answers \`GET /referrals?after=N\` with only the referrals changed since change number N, and the
  runner keeps what it saw (in this session's single runs the runner's CPU in the bulk window fell
  from 0.9 to 0.2 s). Both systems benefit alike.
- **Echo expectations pruned once a minute** (\`sync/echo.ts\`): each 204 PATCH walked every
  referral patched in the last ten minutes (quadratic: 37 ms of a 500-PATCH catch-up, and growing
  with the rate), and every webhook for a referral we never patched left an empty entry behind.

Tried after this run (no full run since: the code changed only by the batch step timings in a
debug log line), each in back-to-back single runs of the bridge (bulk, then catch-up), and none
shipped:
- \`synchronous=NORMAL\` for every commit: bulk 228 and 239 opportunities/s against 249 and 277,
  catch-up 3.9 and 4.2 s against 3.3 and 3.4 s. No gain: the WAL fsync is not the limit.
- Two outbound loops, each claiming its own batch, so that one batch's Salesforce read and
  write-back overlap the other's sends: bulk 218–284 against 230–266, catch-up 3.13–3.47 s against
  3.15–3.56 s (3 runs each). Within the noise: the sends themselves are bound by the CPU of the
  bridge and the Partner Center emulator.
- V8 flags for \`cosell run\`: 16 MB semi-spaces, and single-threaded GC. Both within the noise
  (3 runs each). V8's helper threads (GC, compilation) used 0.72 of the bridge's CPU-seconds in one
  catch-up, and the main thread 2.29.
- The outbound loop started when the stream subscribes: slower (see the catch-up finding). Then
  started once the replay had been quiet for 150 ms (the claim schedule's end-of-arrival test),
  or the listing had ended: with other work on the host (load average ~5) the replay had gaps
  longer than that, and the restart made 59–109 Salesforce calls instead of 11. A replay has no
  end marker to wait for instead.

Fourth pass (the previous run): no Salesforce sweep at start when a change stream replays; the
Partner Center catch-up recognises the state of our own 204 PATCHes; webhook echoes recognised at
intake instead of stored; one SQLite transaction per event-loop turn; the Referrals API over
undici's \`request\`; asynchronous log writes; diffs that copy only the changed path; one
write-back per 200 after the Salesforce emulator's CometD fix. Tried then and not shipped:
a certificate-facts cache, \`MALLOC_ARENA_MAX=2\`, a bundled bridge, \`--max-semi-space-size=16\`,
\`BRIDGE_OUTBOUND_CONCURRENCY\` 16, 24 or 32.

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
- **CPU per process.** At the start and the end of the bulk and catch-up windows the runner reads
  utime + stime of the bridge and both emulator processes from \`/proc/PID/stat\` and its own with
  \`process.cpuUsage()\` (the model runs in the runner, so its CPU is in the runner's column; the
  runner's own share is the workload and the polling). "Cores busy" = total ÷ (window × cores).
  The bridge's column includes answering the runner's \`/metrics\` scrapes while it waits for the
  bridge to be idle (every 100 ms); the model's idle check is a function call.
  The runner waits for results by asking the Partner Center emulator's control plane only for the
  referrals changed since its previous look (\`GET /__emulator/referrals?after=N\`), so waiting
  costs the measured world little.
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
