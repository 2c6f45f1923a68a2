import { CONFIG_VARIABLES, VARIABLE_NAMES, type VariableSpec } from './variables';

const REQUIRED: ReadonlySet<string> = new Set([
  'BRIDGE_ENVIRONMENT',
  'SALESFORCE_LOGIN_URL',
  'SALESFORCE_CLIENT_ID',
  'PARTNER_CENTER_TENANT_ID',
  'PARTNER_CENTER_CLIENT_ID',
  'PARTNER_CENTER_CLIENT_SECRET',
]);

/**
 * The configuration reference as a Markdown table, generated from the same table that parses
 * the environment, for the README and `cosell doctor --help`-style output.
 */
export function configurationReference(): string {
  const escape = (text: string) => text.replaceAll('|', '\\|');
  const rows = VARIABLE_NAMES.map((name) => {
    const spec: VariableSpec = CONFIG_VARIABLES[name];
    const requirement = REQUIRED.has(name)
      ? 'required'
      : spec.default !== undefined
        ? `\`${spec.default}\``
        : 'optional';
    const secret = spec.secret ? ' **secret**' : '';
    return `| \`${name}\` | ${escape(requirement)} | ${escape(spec.description)}${secret} |`;
  });
  return ['| Variable | Default | Meaning |', '|---|---|---|', ...rows].join('\n');
}
