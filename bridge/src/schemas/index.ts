export * from './opportunity';
export * from './referral';
