export * from './opportunity';
export * from './referral';
export * from './salesforce-id';
