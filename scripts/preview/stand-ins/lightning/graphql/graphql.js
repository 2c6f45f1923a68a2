// Stand-in for lightning/graphql: gql keeps the query text, and the graphql wire answers the
// scenario's result for the query's operation name (jest fixtures).
import { scenarioData } from 'preview/data';

export function gql(strings, ...values) {
  return strings.reduce((text, part, i) => text + part + (i < values.length ? values[i] : ''), '');
}

function operationName(query) {
  return /(?:query|mutation)\s+(\w+)/.exec(String(query))?.[1];
}

export class graphql {
  constructor(dataCallback) {
    this.dataCallback = dataCallback;
  }

  connect() {}

  disconnect() {}

  update(config) {
    const data = scenarioData().graphql?.[operationName(config.query)];
    if (data) {
      this.dataCallback({ data, errors: undefined, refresh: () => Promise.resolve() });
    }
  }
}

export const executeMutation = () => Promise.resolve({ data: {}, errors: undefined });

export const refreshGraphQL = (result) => (result?.refresh ? result.refresh() : Promise.resolve());
