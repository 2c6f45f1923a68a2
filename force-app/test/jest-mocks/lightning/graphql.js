// lightning/graphql for jest: sfdx-lwc-jest's stub (the graphql wire's test adapter and gql)
// plus executeMutation, which the stub does not have yet. Tests set what it resolves to.
export * from '@salesforce/sfdx-lwc-jest/src/lightning-stubs/graphql/graphql';

export const executeMutation = jest.fn().mockResolvedValue({ data: {}, errors: undefined });

// refreshGraphQL(result) re-runs a graphql wire's query (the stub does not have it yet).
export const refreshGraphQL = jest.fn().mockResolvedValue(undefined);
