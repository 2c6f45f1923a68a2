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
    "The bridge's resident memory rose above the 200 MB ceiling during the 2,000-opportunity run (the ceiling was 512 MB before issue 17). A 200-opportunity run peaks at about 210–220 MB on this host, so most of it is the baseline of the process (Node, jsforce, express, zod, prom-client and node:sqlite loaded, ~110 MB before any work) plus V8's heap growth under load, not per-opportunity state. Not yet profiled with heap snapshots (see \"Changes\"); candidates: `--max-semi-space-size`/`--max-old-space-size` on the service, releasing the batch's Salesforce records and referral JSON as soon as each job settles, and loading jsforce's streaming client only in `cosell run`.",
  'bulk-ratio':
    'Below 1.5× the flow model in the same run. The model fires 25 flow runs at once and persists nothing; the bridge sends at most `BRIDGE_OUTBOUND_CONCURRENCY` (8) Partner Center calls at a time per batch, stores an intent before each create and the link after it, and writes every result back (1 call per 200 instead of 200). Not profiled in this round (host load 20–25, see "Changes"); the next steps are a CPU profile of the bulk run and an interleaved A/B of the concurrency.',
  'catch-up-ratio':
    'Slower than the flow model. The bridge pays a process start (now compiled JavaScript, no transpiling), two sign-ins, the CDC replay and a start-up sweep that re-reads changed opportunities in SOQL batches of 200, then PATCHes 8 at a time with a durable budget count before each; the model resumes polling inside the already-running benchmark process, signed in, with 25 runs at once and nothing durable. What would close the gap, not done here: start the outbound loop only once the CDC replay has caught up (replayed events re-queue work already claimed), and measure a higher outbound concurrency.',
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
  generatedAt:
    '2026-11-30T12:27:46.261Z (bridge as TypeScript through tsx, 500 ms window tuned in)',
  ours: {
    partnerCenterCallsPerChange: 1,
    salesforceCallsPerChange: 0.1,
    burstCalls: 1,
    bulkOpportunitiesPerSecond: 170.111,
    writebackCallsPer200: 1,
    peakRssMb: 378.781,
    outboundLatencyMsP50: 963,
    outboundLatencyMsP99: 1094,
    inboundLatencyMsP50: 611,
    catchUpSeconds: 6.43,
    catchUpPartnerCenterCalls: 526,
  } as Record<string, number>,
};

const CHANGES = `Read this table with care: the previous run is the full profile on a quiet host
(load 0.4–1.4); this one is the full profile too (2,000 / 1,000, the systems one after the other),
run for issue 12 at a load average of 20–25 from other engineers' suites on the same 2 cores. The
flow model slowed as much as the bridge (bulk 259 → 9 opportunities/s, catch-up 1.7 → 42 s), so
absolute throughput and times say more about the host than about either system; the call counts
are exact. Steady edits made 100 PATCHes and no read for 100 changes, the burst 2 PATCHes, the
catch-up 500 PATCHes and 26 list pages. Issue 17's quick-profile run (23:03, before issue 12
landed) is replaced by this one, the first against the strict Partner Center emulator.

What changed since then (issue 12: Partner Center as Microsoft documents it):

- **The Partner Center emulator is as strict as Microsoft documents.** PATCH answers 204 No
  Content with no \`ETag\` header, also when \`Prefer: return=representation\` is sent (the
  previous runs got the referral and its new eTag back from every PATCH); create answers 200
  without \`Location\`; \`$top\` is the total to retrieve, the page size is the server's (100).
  The undocumented behaviour exists only behind \`--undocumented-conveniences\`, which the
  benchmark does not use.
- **One call per change without a PATCH representation** (docs/ARCHITECTURE.md, "Concurrency
  without a PATCH representation"): after a 204 the bridge stores its base with its own
  operations applied and no eTag, sends the next field-level PATCH without \`If-Match\` until a
  read brings a current eTag, and recognises the webhook echo of a 204 by an in-memory count of
  expected echoes instead of by its (unknown) change time.
- **Catch-up listing without \`$top\`**: one pass follows every \`@odata.nextLink\`; its listing
  calls are the server's pages (26 of the catch-up's 526 calls here, as before).

What changed since then (issue 17), and what it did to the figures:

- **Shipped defaults only.** The previous run tuned the coalescing window to 500 ms (the product
  default is 2 s) and inherited the test harness's debug logs and 10 s sweep intervals. The
  benchmark now unsets every harness tuning (\`bench/profiles.ts\`, a test checks none is left),
  so the figures are what a partner gets out of the box.
- **Leading + trailing edge instead of a fixed window** (\`bridge/src/sync/send-window.ts\`).
  A lone edit used to wait the whole window (2.06 s end to end with the 2 s default); now the
  first change of a quiet opportunity is due at once and only later edits within the window are
  coalesced into one trailing send. New figure \`loneEditLatencyMsP50\` (no injected delay). The
  burst now costs 2 calls instead of 1 (the first edit at once, the rest together): still within
  its ≤ 2 target. To keep one write-back per 200, a short batch waits until the CDC intake has been
  quiet for 150 ms (never past the 500 ms fill wait), since due times are now arrival times.
- **Compiled JavaScript.** The bridge process runs \`bridge/dist\` (tsc) instead of
  transpiling TypeScript through tsx at start, which the catch-up figure (a restart) pays.
- **\`BRIDGE_OUTBOUND_CONCURRENCY\`** (default 8) is a configuration variable now.

Issue 17, second pass (after 23:35; load average 5–9, so every figure below is a median of
interleaved runs, and the throughput A/Bs are indicative only):

- **\`cosell status\` and \`cosell failures list\` read the store alone** (\`Session.store()\`,
  \`sync/status-report.ts\` shared with the engine's \`status()\`, node-postgres loaded only for
  a Postgres URL, Node's compile cache enabled in \`bin/cosell.js\`). Whole-process figures,
  7 runs each alternating with a bare \`node -e 0\`, same store: before 0.655 s CPU, 0.62 s wall,
  112 MiB peak (22× the bare start's CPU); after 0.214 s CPU, 0.28 s wall, 84 MiB (about 6.5×).
  What is left is configuration (zod, ~0.08 s), pino and commander, each needed by every command.
  The package test checks from the installed package that these commands load neither jsforce,
  express, prom-client nor pg.
- **Profile of the bulk switch-on** (the bridge process, 200 opportunities, CPU sampled through
  the inspector while the bench ran): of ~2.4 s busy, ~0.56 s is the durable budget reservation
  before every Partner Center call (a SQLite transaction with its own fsync; \`exec\` of
  BEGIN/COMMIT is the largest self time), ~0.28 s saving each referral link, ~0.28 s the webhook
  echoes arriving meanwhile, ~0.11 s pino lines; the rest is HTTP. Tried: committing the
  reservation without its own fsync (synchronous=NORMAL, as the replay cursor does). Three
  interleaved pairs at 1,000 opportunities gave 0.39×, 0.52× and 2.55× (median slower), so the
  profile's CPU share does not turn into throughput on this shared host; not shipped, since it
  also weakens R1's count on a power loss. At 1,000 opportunities a batch is sometimes split
  (1.0–1.2 write-backs per 200 in these six runs), as the Findings describe for the full run.
- **\`BRIDGE_OUTBOUND_CONCURRENCY\` A/B** (quick bulk, 200 opportunities, bridge and model in
  the same run, two rounds interleaved 8/16/32/4): ratio to the model 4 → 0.93, 0.59; 8 → 1.45,
  0.84; 16 → 0.85, 1.09; 32 → 1.07, 1.18. 4 is worse; 8, 16 and 32 cannot be told apart at this
  noise, so the default stays 8 (fewer calls in flight against Partner Center's throttling for
  no measured loss). Every run kept 1 write-back per 200 and 1 Partner Center call per
  opportunity.
- **Full-profile bulk (2,000 opportunities) on a quieter host** (00:01–00:09, load average
  1–3, \`--only bulk\`, bridge then model in each run, not written to this page's tables):
  shipped bridge 118, 111 and 235 opportunities/s against the model's 163, 223 and 273 in the
  same runs, i.e. **0.73×, 0.50×, 0.86×** (target ≥ 1.5×: missed); with the reservation
  committed without fsync 0.86× and 0.78× (no clear difference, not shipped). Peak RSS of the
  bridge **356–376 MB** (target ≤ 200 MB: missed); write-backs 1.1 per 200 in every run. So the
  1.63× of the table above was the loaded host slowing the model more than the bridge; on a
  quiet host the model is faster. A likely reason, not yet shown: its 25 parallel runs against
  the bridge's 8 calls in flight and durable writes per call. Next steps, not done: profile the full run (the 200-opportunity profile above
  may not show what dominates at 2,000), concurrency 16/32 at full size on a quiet host, and
  heap snapshots for the memory.

Issue 17's note on its own full run at 23:03 (bulk and catch-up not finished within their
deadlines at load ~23) no longer applies to this page: the issue-12 full run above finished
every scenario, so the 200 MB memory target is measured (and missed, see Findings).`;

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
