export * from './salesforce-fields';
