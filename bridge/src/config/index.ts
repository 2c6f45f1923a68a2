export { processEnvironment } from './env-source';
export { loadConfig, findUnknownVariables, MICROSOFT_CERTIFICATE_HOST } from './load-config';
export type { LoadConfigOptions } from './load-config';
export { redactedConfig, redactedDatabaseUrl, secretValues, REDACTED } from './redact';
export {
  checkEnvironmentSafety,
  classifySalesforceHost,
  isLoopbackHost,
  isMicrosoftHost,
} from './environment-guard';
export { CONFIG_VARIABLES, VARIABLE_NAMES, describeVariable } from './variables';
export { configurationReference } from './reference';
export { NOTIFICATION_KINDS } from './types';
export type { VariableName, VariableSpec } from './variables';
export type {
  AccountMatching,
  BridgeEnvironment,
  Config,
  CountryField,
  LogLevel,
  NotificationKind,
  PartnerCenterUser,
  SalesforceAuth,
  SalesforceClientCredentialsAuth,
  SalesforceJwtAuth,
} from './types';
