/**
 * One log line per sync outcome, so an operator following the log at info level sees what the
 * bridge did to each deal and what it cost (created/updated referral X for opportunity Y, applied,
 * ignored, failed, with the Partner Center and Salesforce calls used). Pure: the workers pass the
 * outcome, this says what to write; no-ops (unchanged, echoes) stay at debug.
 */
import type { Logger } from 'pino';

export interface OutcomeLine {
  level: 'info' | 'warn' | 'debug';
  fields: Record<string, unknown>;
  msg: string;
}

const calls = (n: number) => (n === 1 ? '1 call' : `${n} calls`);

export function outboundOutcomeLine(
  opportunityId: string,
  outcome:
    | { kind: 'synced'; message: string; apiCalls: number; referralId: string }
    | { kind: 'unchanged'; referralId: string }
    | { kind: 'skipped'; message: string | null }
    | { kind: 'invalid'; message: string; referralId: string | null; apiCalls: number }
    | {
        kind: 'failed';
        decision: { kind: string; message: string };
        referralId: string | null;
        apiCalls: number;
      },
): OutcomeLine {
  const fields = { event: `sync.outbound.${outcome.kind}`, opportunityId };
  switch (outcome.kind) {
    case 'synced': {
      const created = /^Created referral /.test(outcome.message);
      return {
        level: 'info',
        fields: { ...fields, referralId: outcome.referralId, apiCalls: outcome.apiCalls },
        msg: `${created ? 'created' : 'updated'} referral ${outcome.referralId} for opportunity ${opportunityId} (${calls(outcome.apiCalls)}): ${outcome.message}`,
      };
    }
    case 'unchanged':
      return {
        level: 'debug',
        fields: { ...fields, referralId: outcome.referralId, apiCalls: 0 },
        msg: `opportunity ${opportunityId}: referral ${outcome.referralId} already up to date`,
      };
    case 'skipped':
      return {
        level: outcome.message ? 'info' : 'debug',
        fields: { ...fields, apiCalls: 0 },
        msg: `skipped opportunity ${opportunityId}${outcome.message ? `: ${outcome.message}` : ''}`,
      };
    case 'invalid':
      return {
        level: 'warn',
        fields: { ...fields, referralId: outcome.referralId, apiCalls: outcome.apiCalls },
        msg: `opportunity ${opportunityId} cannot be sent until it is fixed (${calls(outcome.apiCalls)}): ${outcome.message}`,
      };
    case 'failed':
      return {
        level: 'warn',
        fields: {
          ...fields,
          referralId: outcome.referralId,
          apiCalls: outcome.apiCalls,
          retry: outcome.decision.kind !== 'permanent',
        },
        msg: `failed to sync opportunity ${opportunityId} (${calls(outcome.apiCalls)}; ${outcome.decision.kind === 'permanent' ? 'waits for a fix' : 'will retry'}): ${outcome.decision.message}`,
      };
  }
}

export function inboundOutcomeLine(
  referralId: string,
  outcome:
    | { kind: 'applied' | 'created'; opportunityId: string; message: string; apiCalls: number }
    | { kind: 'stale'; apiCalls: number }
    | { kind: 'ignored'; opportunityId: string | null; message: string; apiCalls: number }
    | {
        kind: 'failed';
        decision: { kind: string; message: string };
        opportunityId?: string | null;
        apiCalls: number;
      },
): OutcomeLine {
  const fields = { event: `sync.inbound.${outcome.kind}`, referralId, apiCalls: outcome.apiCalls };
  switch (outcome.kind) {
    case 'applied':
    case 'created':
      return {
        level: 'info',
        fields: { ...fields, opportunityId: outcome.opportunityId },
        msg: `${outcome.kind === 'created' ? 'created opportunity' : 'applied referral'} ${outcome.kind === 'created' ? `${outcome.opportunityId} from referral ${referralId}` : `${referralId} to opportunity ${outcome.opportunityId}`} (${calls(outcome.apiCalls)}): ${outcome.message}`,
      };
    case 'stale':
      return {
        level: 'debug',
        fields,
        msg: `referral ${referralId}: nothing newer than what Salesforce has`,
      };
    case 'ignored':
      return {
        level: 'info',
        fields: { ...fields, opportunityId: outcome.opportunityId },
        msg: `ignored referral ${referralId} (${calls(outcome.apiCalls)}): ${outcome.message}`,
      };
    case 'failed':
      return {
        level: 'warn',
        fields: {
          ...fields,
          opportunityId: outcome.opportunityId ?? null,
          retry: outcome.decision.kind !== 'permanent',
        },
        msg: `failed to apply referral ${referralId} (${calls(outcome.apiCalls)}; ${outcome.decision.kind === 'permanent' ? 'waits for a fix' : 'will retry'}): ${outcome.decision.message}`,
      };
  }
}

export function writeOutcomeLine(logger: Logger, line: OutcomeLine): void {
  logger[line.level](line.fields, line.msg);
}
