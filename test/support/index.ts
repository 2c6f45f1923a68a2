/**
 * The cross-process test harness: emulators and the bridge as child processes, control clients,
 * a seller's jsforce connection, seed factories and deadline-based waiting. The end-to-end suite,
 * the chaos suite and the benchmarks build on it.
 */
export { waitFor, waitForValue, WaitTimeoutError } from './wait-for';
export type { WaitOptions } from './wait-for';
export { ChildService } from './child-service';
export type { ChildServiceOptions, ExitInfo, LogLine } from './child-service';
export { freePort } from './free-port';
export { CAN_FETCH_NODE, nodeRuntime } from './node-runtime';
export {
  REPO_ROOT,
  startPartnerCenterEmulatorProcess,
  startSalesforceEmulatorProcess,
} from './emulator-processes';
export type {
  EmulatorProcess,
  PartnerCenterEmulatorProcessOptions,
  SalesforceEmulatorProcessOptions,
} from './emulator-processes';
export { PartnerCenterControl, SalesforceControl } from './control-clients';
export type { Delivery, EmulatorStats, FaultRule, Json } from './control-clients';
export {
  BridgeProcess,
  bridgeEnvironment,
  COSELL_BIN,
  cosellArgs,
  EMULATOR_CREDENTIALS,
} from './bridge-process';
export type { BridgeEnvInput, BridgeProcessOptions, CliResult } from './bridge-process';
export { connectAs, connectAsUsername, TEST_API_VERSION } from './seller';
export { INTEGRATION_USERNAME, Seeder, dateInDays, uniqueSuffix } from './seed';
export type { CoSellDeal, OpportunitySeed, SolutionSeed } from './seed';
export { startStack } from './stack';
export type { Stack, StackOptions } from './stack';
export { registerWebhook, REFERRAL_WEBHOOK_EVENTS } from './webhook-registration';
export { documentedReferralSample } from './referral-samples';
export { forTestFile } from './for-test-file';
