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
    "Not reachable against an honest polling model, and not a bridge defect. The 20× target assumes the flow-style connector runs once per edit (50 runs × GET + PATCH = 100 calls). Its Salesforce trigger polls instead: every poll returns each record modified since the previous poll once, however many times it changed. A 50-edit burst inside one second therefore falls within one poll interval (2 calls: GET + PATCH) or straddles one poll (4 calls: two runs); with the benchmark's 2 s interval a 1 s burst straddles a poll about half the time, and with Microsoft's real interval (sellers are told to expect ~10 minutes) almost never. The bridge spends 1 call (the coalesced PATCH). So the honest ratio is 2× (sometimes 4×), and 20× would need the baseline to make ≥ 20 calls for one burst, i.e. ≥ 10 flow runs, i.e. a poll every ≤ 100 ms — no polling connector does that. The model is not made worse to hit the number; the polling model pays for its cheap burst in latency instead (one poll interval, see the latency rows).",
  'latency-p99':
    "Outbound latency is mostly waits the bridge chooses on purpose: the coalescing window (500 ms in the benchmark; it is what folds a burst into one call), then three requests on the path (CDC delivery, batched read, PATCH) at 100–300 ms each. Since the work loops wake at a job's due time (they used to sleep up to 500 ms past it), what is left above the injected latency is the window plus the bridge's own processing; a sample that arrives while the previous batch is being written back waits for it. On a machine loaded by other work the processing share grows; read this figure together with the load average above.",
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
    why: 'The model fires 25 flow runs at once and persists nothing. The bridge sends at most 8 Partner Center calls at a time per batch (`outboundConcurrency`), stores a create intent before and the link after every create so a crash can never duplicate a referral, and writes every result back and audits it. It trades throughput for exactly-once creates and ~0.5% of the Salesforce calls.',
  },
  catchUpSeconds: {
    better: 'lower',
    why: "Target (faster than the model) not met; 88.6 s → the figure above after this round (see \"Changes since the previous run\"). The model's own figure moves with the host's load (15.8 s in the previous run, 1.9–5.1 s in this round's runs), ours too (7.7–15.2 s). Profiled on a quiet run with 1,500 opportunities and the bridge's debug log: ~2 s start a new bridge process and sign in on both sides; ~1.5 s the start-up sweep re-reads the sync-enabled opportunities modified since its watermark in SOQL batches of 200 and queues only the 500 that differ from the last synced referral; ~0.5 s the Partner Center catch-up lists every referral updated since its watermark; then 500 PATCHes, 8 in flight, each saved durably (link, completion; SQLite synchronous=FULL runs on the event loop) and each answered by a signed webhook echo that the emulator signs and the bridge verifies on the same 2 cores; one batch of 200 is re-checked once without any call because the replayed change events for the same opportunities arrived while it was claimed (the store keeps a newer request of a running job). The model runs inside the benchmark process (no process start, already signed in), keeps nothing durable, receives no webhooks (none is registered for it) and runs 25 flows at once. What would close the gap, not done here: let a replayed change event that the claimed job's read already covers (its commit time before the snapshot's SystemModstamp, both Salesforce clocks) leave the job alone; batch the per-job completions into one transaction per batch; start the outbound loop only once the replay has caught up.",
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
  generatedAt: '2026-11-30T09:44:33.948Z',
  ours: {
    partnerCenterCallsPerChange: 1.28,
    salesforceCallsPerChange: 0.1,
    burstCalls: 2,
    bulkOpportunitiesPerSecond: 60.6,
    writebackCallsPer200: 1.1,
    outboundLatencyMsP50: 1398,
    outboundLatencyMsP99: 1918,
    catchUpSeconds: 88.59,
    catchUpPartnerCenterCalls: 640,
  } as Record<string, number>,
};

const CHANGES = `What changed in the bridge since then, each found by profiling the figure it moves:

- **Partner Center calls per change, burst.** Our own webhook echoes are recognised without
  reading the referral back, also when the echo outruns the save of the PATCH or create result
  (inbound worker waits for the send in flight; d0575c6, fd7fb1b).
- **Write-backs per 200.** The outbound loop used to claim whatever was due when it looked, so
  a bulk change (several CDC deliveries a few ms apart) started with a short batch. A batch now
  closes when full or at the last job due within 500 ms of its first one
  (\`bridge/src/sync/claim-schedule.ts\`); the scenario also lets the seeding settle first.
- **Outbound latency.** The work loops slept up to 500 ms after a change was recorded inside its
  coalescing window. They now sleep until the next job's due time or a wake-up on enqueue
  (\`store.dueTimes\`, \`work-loop.ts\`); a 5 s fallback only notices work queued by another
  process (the CLI), so the bridge is idle at rest.
- **Catch-up.** The start-up sweep queued every opportunity modified since its watermark (~2,600
  no-op jobs at ~30/s). It now re-reads them in SOQL batches of 200 and queues only those whose
  mapped fields differ from the last synced referral (\`alreadyInSync\` in \`reconcile.ts\`). The
  Partner Center catch-up saves its watermark per page instead of per referral, a batch's audit
  events are stored in one transaction, and 8 instead of 4 Partner Center calls run at once.`;

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
