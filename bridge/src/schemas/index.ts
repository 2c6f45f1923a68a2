export * from './audit-event';
export * from './opportunity';
export * from './referral';
export * from './salesforce-id';
