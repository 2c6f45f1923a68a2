/**
 * Predefined solution category ids a referral may name with `type: "Category"` (referral
 * resources: the Solutions list), instead of a partner's own `SOL-…` co-sell solution.
 */
// prettier-ignore
export const SOLUTION_CATEGORY_IDS: ReadonlySet<string> = new Set([
  'AdvancedAnalytics', 'ApplicationIntegration', 'ArtificialIntelligence',
  'AzureSecurityOperationManagement', 'AzureStack', 'BackupDisasterRecovery', 'BigData',
  'Blockchain', 'Chatbot', 'CloudDatabaseMigration', 'CloudMigration', 'CloudVoice',
  'CognitiveServices', 'CompetitiveDatabaseMigration', 'Containers', 'DataWarehouse',
  'DatabaseonLinux', 'DevelopmentandTest', 'DevOps', 'DigitalMedia',
  'Dynamics365forCustomerService', 'Dynamics365forFieldService', 'Dynamics365forFinanceOperations',
  'Dynamics365forRetail', 'Dynamics365forSales', 'Dynamics365forTalent', 'DynamicsonAzure',
  'EnterpriseBusinessIntelligence', 'Gaming', 'HighPerformanceComputing', 'HybridStorage',
  'IdentityandAccessManagement', 'InformationManagement', 'InternetofThings', 'MachineLearning',
  'Microserviceapplications', 'MobileApplications', 'MySQLPostgresMigrationtoAzure', 'Networking',
  'NoSQLMigration', 'RedhatonAzure', 'RegulatoryComplianceGDPR', 'SAPonAzure',
  'ServerlessComputing', 'SharepointonAzure', 'SQLServerUpgrade', 'ThreatProtection',
  'WebDevelopment',
]);

/** `details.requirements.solutions[].type` (referral resources). */
export const SOLUTION_TYPES = ['None', 'Category', 'Name'] as const;

/** `salesStage` (connector definition enum). */
export const SALES_STAGES = ['Qualify', 'Develop', 'Propose', 'Close'] as const;
