export { createControlPlane, CONTROL_PREFIX } from './control-plane';
export type { ControlPlane, ControlPlaneOptions } from './control-plane';
export { FaultBook, faultRuleSchema, isHttpFault } from './faults';
export type { FaultRule } from './faults';
export { RequestStats } from './stats';
export { listen, portFromArgv, stopOnSignals } from './server';
export type { RunningServer } from './server';
export { emulatorArgsOrExit, parseEmulatorArgs, usageText } from './cli-args';
export type { EmulatorArgs, EmulatorFlag } from './cli-args';
