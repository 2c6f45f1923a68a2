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
    'More than one composite write-back per 200 records means a batch was split. Profiled: the first claim of the bulk run took only the first CDC delivery (1 event, then 199/200 a few ms later), and change events of the seeding itself (sync off) re-queued jobs mid-batch. The outbound loop now waits up to 500 ms for a full batch when one is about to be due (bridge/src/sync/claim-schedule.ts), and the scenario lets the seeding settle before the switch-on. If this still shows, look for batches cut by jobs re-queued while claimed (a newer change event arrived during the batch).',
  'bulk-memory':
    "The bridge process (it runs alone in its own process; the model runs inside the benchmark runner and has no figure) stayed above 200 MB. Heap snapshots and /proc/PID/smaps of the 2,000-opportunity run showed ~40 MB of live JavaScript; the rest was a 128 MB young generation (Node 22+ grows semi-spaces to 64 MB on a large host), an old space grown to ~90 MB between major collections, 141 MB of malloc heap from SQLite statements prepared on every call (now compiled once per SQL text: 34 MB) and ~60 MB of Node's own mapped binary. `cosell run` now starts with `--max-semi-space-size=8 --heap-growing-percent=50` (bridge/bin/cosell.js, execve in the same pid): 167–184 MB in every 2,000-opportunity run measured while building it. A run above 200 MB here means a heap that grew past that again: compare `details.ours.details.bulk` and take a heap snapshot (`--env NODE_OPTIONS=--heapsnapshot-signal=SIGUSR2`).",
  'bulk-ratio':
    "Below 1.5× the flow model in the same run. Profiled (`node --cpu-prof`, 2,000 opportunities): the durable budget count per Partner Center call was 8.3 of 29.5 busy seconds (an fsync that blocks the event loop, node:sqlite being synchronous) and is now one per 32 calls; preparing SQL on every call was the next cost (now compiled once). What is left is spread out: saving each link (a lazy commit, ~2 s), webhook echoes, pino lines, HTTP and GC. The model persists nothing and fires 25 runs at once; on this 2-core host shared with other engineers' suites the two systems slow down by different factors from one run to the next so read the ratio with the load average above. Pairs of `--only bulk` runs during this round (bridge then model, minutes apart) gave 2.2×, 1.24× and 1.15× with the shipped code and 0.80× without the heap flags; in the full run of 2026-12-05 02:04 the bridge's bulk ran at a load of ~15 and the model's four minutes later as the load fell to ~8, and it gave 0.32×. So the 1.5× target is not shown as met: the single-run ratio on this host swings more than the target's margin, and the bridge's remaining per-deal cost (a link save, an echo delivery recorded and worked through the inbox, each a SQLite commit on the event loop) is still larger than the model's (none).",
  'catch-up-ratio':
    "Slower than the flow model. Profiled: during the catch-up the bridge's event loop is busy 100% of the time, and 10.3 of 22.5 busy seconds were SQLite commits with their own fsync for each webhook echo of our own PATCHes (record, claim, complete: three per echo). The deliveries of one event-loop turn are now recorded in one durable transaction (group commit), and claim and completion commit lazily; catch-up went from 1.88–2.5× the model's time to 1.37× in single runs before the full run. The bridge also pays a process start, two sign-ins, a reconciliation sweep and a Partner Center listing before its first PATCH (~2.5 s), which the model, already running and signed in, does not. In the full run the catch-up follows the bulk scenario in the same world, and it was far slower than in a catch-up run of its own (47.8 s against 18.0 s): its 52 SOQL requests (15 when run alone) and 26 listing pages say the start-up sweep re-read every opportunity modified since its last watermark, i.e. the 2,000 bulk records our own write-back had just touched, and the Partner Center listing walked all 2,500 referrals. Not done: a sweep watermark advanced past our own write-backs, one durable transaction for deliveries across event-loop turns, and echoes recognised without a queue round trip.",
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
 * The run before this round of fixes (2026-11-30, full profile), so the page shows what changed
 * and why. Figures of ours only; the baseline model did not change.
 */
const PREVIOUS_RUN = {
  generatedAt: '2026-12-04T23:26:47.345Z (issue 12 full run, load average 20–25)',
  ours: {
    partnerCenterCallsPerChange: 1,
    salesforceCallsPerChange: 0.2,
    burstCalls: 2,
    loneEditLatencyMsP50: 255,
    outboundLatencyMsP50: 608,
    outboundLatencyMsP99: 769,
    inboundLatencyMsP50: 663,
    bulkOpportunitiesPerSecond: 14.808,
    writebackCallsPer200: 1.1,
    peakRssMb: 362.02,
    catchUpSeconds: 84.07,
    catchUpPartnerCenterCalls: 526,
  } as Record<string, number>,
  /** The model in that run, for the ratios the targets are about. */
  ratios: { bulk: 1.63, catchUp: 1.99 },
};

const CHANGES = `The previous run ran at a load average of 20–25 (bulk 1.63× the model, catch-up
1.99× its time, peak RSS 362 MB); on a quieter host (load 1–3) the same code gave 0.50–0.86× the
model on bulk and 356–376 MB. Absolute throughput and times say more about the host than about
either system on these shared 2 cores: read the ratios, and the load average at the top.

Issue 17, third pass (profiled with \`node --cpu-prof\`, heap snapshots and /proc/PID/smaps of the
bridge process; every A/B below is the bridge and the model in the same run, 2,000 opportunities
for bulk and 1,000 changes for catch-up, at a load average of 10–21, one run each unless said):

- **Budget counted in blocks** (\`sync/budget-guard.ts\`). The bulk profile (ours, before): 29.5 s
  busy of 39.4 s, of which **8.3 s** was the fsynced SQLite transaction counting each Partner
  Center call (node:sqlite blocks the event loop for the whole commit). The guard now reserves 32
  calls per durable transaction and hands them out from memory; unused ones go back after 1 s idle
  and at shutdown, and a crash leaves them counted (the budget is under-used that day, never
  exceeded; budget-guard.test.ts shows both). After: the reservation was 0.9 s of the profile; bulk
  76.8 against the model's 34.8 opportunities/s in the same run (2.2×).
- **SQL compiled once per statement** (\`store/sqlite/database.ts\`). Every call prepared its SQL
  anew: CPU in every store call, and native statements freed only when V8 collected their small
  wrappers. The malloc heap at the bulk peak went **141 → 34 MB**, busy CPU 29.5 → 19.6 s (with the
  block reservation).
- **Heap settings for \`cosell run\`** (\`bridge/bin/cosell.js\`). With the malloc heap fixed the
  bridge still peaked at 335 MB: live JavaScript was ~40 MB (heap snapshots mid-run and at the end),
  the young generation 128 MB (Node 22+ grows each semi-space to 64 MB on a large host) and the old
  space ~90 MB between major collections. Peak RSS by flags (ours only): none 329–336 MB;
  \`--max-semi-space-size=16\` 260; \`=8\` 241; \`=4\` 249; \`=8 --heap-growing-percent=50\` **180,
  180, 179, 184**; \`=8 --heap-growing-percent=20\` 167 (not chosen: more major collections for
  little gain). Node refuses these flags in \`NODE_OPTIONS\`, so \`cosell run\` replaces its own
  image once (execve, same pid) with them; \`COSELL_RUN_V8_FLAGS\` overrides (test/package/
  service-heap-flags.test.ts). Throughput pair at load ~20: with the flags 1.24× the model, without
  0.80× (not slower, within this noise).
- **Webhook echoes during a catch-up** (\`store/sqlite/group-commit.ts\`, \`sqlite-store.ts\`). The
  catch-up profile showed the bridge's event loop busy 100% of the time and 10.3 of 22.5 s in
  commits: each echo of our own PATCH was recorded, claimed and completed in three fsynced
  transactions. Deliveries of one event-loop turn are now recorded in one durable transaction
  (acknowledged after it), claim and completion commit lazily (a power loss can only leave a
  delivery to be worked again, which is idempotent). Catch-up against the model in the same run:
  22.9 / 12.2 s (1.88×) before, 19.8 / 7.8 s (2.54×) with the lazy claim and completion alone,
  **18.0 / 13.2 s (1.37×)** with the group commit too.
- **One info line per deal** (\`webhook/express-router.ts\`): "webhook event stored" is debug now;
  the inbound worker's outcome line says what each delivery did (pino writes were ~9% of busy CPU).
- **Tried, not shipped:** \`BRIDGE_OUTBOUND_CONCURRENCY=24\`: bulk 1.15× the model, catch-up
  16.3 / 8.1 s (2.0×) in one run, no better than 8 at this noise (the catch-up loop was CPU-bound
  on commits, not waiting on calls), so the default stays 8.
- **Benchmark switches for experiments**: \`--env KEY=VALUE\` (repeatable; e.g. a variable, or
  \`NODE_OPTIONS=--cpu-prof\`) and \`--bulk N\` print JSON and never write this page;
  \`BENCH_BRIDGE_LOG=FILE\` keeps the bridge's log lines. The bench stops the bridge gracefully so
  a profile is written.

Earlier passes of issue 17 (see git history of this page for their figures): compiled JavaScript
instead of tsx, shipped defaults only in the benchmark, the leading + trailing edge send window
(lone edit no longer waits 2 s; a 50-edit burst ≤ 2 calls), \`BRIDGE_OUTBOUND_CONCURRENCY\` as a
variable (A/B of 4/8/16/32 could not tell 8–32 apart), and \`cosell status\` reading the store
alone (0.655 → 0.214 s CPU).`;

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
