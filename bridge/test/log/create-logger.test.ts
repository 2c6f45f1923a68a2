import { Writable } from 'node:stream';
import type { DestinationStream } from 'pino';
import { loadConfig, secretValues } from '../../src/config';
import { createLineScrubber, createLogger, moduleLogger, redactKeys } from '../../src/log';

function collector(): {
  lines: string[];
  records: () => Record<string, unknown>[];
  stream: DestinationStream;
} {
  const lines: string[] = [];
  return {
    lines,
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    stream: { write: (line: string) => void lines.push(line) },
  };
}

const SECRET = 'pc-secret-Kx42';
const PASSWORD = 'pc-password-"quoted"\nline';

const emulatorEnv = {
  BRIDGE_ENVIRONMENT: 'emulator',
  SALESFORCE_LOGIN_URL: 'http://127.0.0.1:4010',
  SALESFORCE_CLIENT_ID: 'emulator-client',
  SALESFORCE_CLIENT_SECRET: 'sf-secret-Zq81',
  PARTNER_CENTER_API_URL: 'http://localhost:4020',
  PARTNER_CENTER_WEBHOOK_API_URL: 'http://localhost:4020',
  PARTNER_CENTER_TOKEN_URL: 'http://localhost:4020/<tenant>/oauth2/token',
  PARTNER_CENTER_TENANT_ID: 'contoso.onmicrosoft.com',
  PARTNER_CENTER_CLIENT_ID: 'emulator-client',
  PARTNER_CENTER_CLIENT_SECRET: SECRET,
  PARTNER_CENTER_USERNAME: 'admin@partner.example',
  PARTNER_CENTER_PASSWORD: 'pc-password-Wm77',
  BRIDGE_LOG_LEVEL: 'debug',
};

describe('createLogger', () => {
  it('R5: every line, including child loggers, names the environment', () => {
    const out = collector();
    const logger = createLogger(
      { level: 'info', environment: 'sandbox' },
      { destination: out.stream },
    );
    logger.info('starting');
    moduleLogger(logger, 'store').warn({ table: 'outbound' }, 'slow');
    const [first, second] = out.records();
    expect(first).toMatchObject({ environment: 'sandbox', msg: 'starting', level: 30 });
    expect(second).toMatchObject({ environment: 'sandbox', module: 'store', table: 'outbound' });
    expect(typeof first?.time).toBe('string');
  });

  it('respects the level', () => {
    const out = collector();
    const logger = createLogger(
      { level: 'warn', environment: 'emulator' },
      { destination: out.stream },
    );
    logger.info('hidden');
    logger.debug('hidden too');
    logger.error('shown');
    expect(out.records().map((r) => r.msg)).toEqual(['shown']);
  });

  it('redacts secret-bearing keys at any depth', () => {
    const out = collector();
    const logger = createLogger(
      { level: 'info', environment: 'emulator' },
      { destination: out.stream },
    );
    logger.info(
      {
        request: {
          headers: { Authorization: 'opaque-abc', 'x-ms-signature': 'sig-value', accept: 'json' },
          body: {
            grant_type: 'password',
            password: 'p4ss',
            client_secret: 'cs',
            items: [{ access_token: 'at-1' }],
          },
        },
        refreshToken: 'rt-1',
        tokenUrl: 'http://localhost/t',
      },
      'token request',
    );
    const line = out.lines[0] ?? '';
    for (const value of ['opaque-abc', 'sig-value', 'p4ss', '"cs"', 'at-1', 'rt-1']) {
      expect(line).not.toContain(value);
    }
    const record = out.records()[0] as {
      request: { headers: Record<string, string>; body: Record<string, unknown> };
    };
    expect(record.request.headers.Authorization).toBe('[redacted]');
    expect(record.request.headers.accept).toBe('json');
    expect(record.request.body.grant_type).toBe('password');
    expect(line).toContain('http://localhost/t');
  });

  it('scrubs configured secret values from messages, free text and errors', () => {
    const out = collector();
    const logger = createLogger(
      { level: 'info', environment: 'emulator', secrets: [SECRET, PASSWORD] },
      { destination: out.stream },
    );
    logger.info(`token request failed for client_secret=${SECRET}`);
    logger.info({ detail: { note: `echoed ${PASSWORD}` } }, 'nested');
    const error = Object.assign(new Error(`upstream said ${SECRET}`), {
      response: { headers: { authorization: 'Bearer abc.def' } },
    });
    logger.error({ err: error }, 'failed');
    const all = out.lines.join('');
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain('pc-password');
    expect(all).not.toContain('abc.def');
    expect(all.match(/\[redacted\]/g)?.length).toBeGreaterThanOrEqual(3);
    const errorRecord = out.records()[2] as {
      err: { message: string; stack: string; type: string };
    };
    expect(errorRecord.err.type).toBe('Error');
    expect(errorRecord.err.stack).toContain('create-logger.test.ts');
  });

  it('scrubs bearer tokens and JWTs it was never told about', () => {
    const out = collector();
    const logger = createLogger(
      { level: 'info', environment: 'emulator' },
      { destination: out.stream },
    );
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJib3QifQ.c2lnbmF0dXJl';
    logger.info(`sent Authorization: Bearer 00Dxx0000001!AQ0Aabc and assertion ${jwt}`);
    const line = out.lines[0] ?? '';
    expect(line).not.toContain('00Dxx0000001!AQ0Aabc');
    expect(line).not.toContain(jwt);
    expect(line).toContain('Bearer [redacted]');
  });

  it('scrubs Salesforce session ids wherever they appear', () => {
    const out = collector();
    const logger = createLogger(
      { level: 'info', environment: 'emulator' },
      { destination: out.stream },
    );
    const session =
      '00D5g000004SLdy!AQ0AQH0dMHZfz972Szmpkb58urFRkgeBGsxL_QJWwYMfAbUeeG7c1E6LYUfiDUkWe6H34r1AAwOR8B8fLEz6n04NPGRrq0FM';
    logger.info({ note: `reconnected with ${session}` }, 'streaming');
    expect(out.lines[0]).not.toContain('AQ0AQH0dMHZfz972');
    expect(out.lines[0]).toContain('reconnected with [redacted]');
  });

  it('createLogger(config) uses the config level and never prints any configured secret', () => {
    const config = loadConfig(emulatorEnv);
    const out = collector();
    const logger = createLogger(config, { destination: out.stream });
    logger.debug({ config }, 'loaded configuration');
    logger.info(`values: ${secretValues(config).join(' | ')}`);
    const all = out.lines.join('');
    expect(out.lines).toHaveLength(2);
    for (const secret of secretValues(config)) expect(all).not.toContain(secret);
    expect(all).toContain('admin@partner.example');
  });
});

describe('redaction helpers', () => {
  it('redactKeys copies without mutating and survives cycles', () => {
    const input: Record<string, unknown> = { a: { password: 'x' } };
    input.self = input;
    const output = redactKeys(input) as Record<string, { password?: string }>;
    expect(output.a?.password).toBe('[redacted]');
    expect((input.a as { password: string }).password).toBe('x');
    expect(output.self).toBe('[circular]');
  });

  it('the line scrubber ignores very short secrets instead of shredding text', () => {
    expect(createLineScrubber(['ab'])('about a cab')).toBe('about a cab');
  });
});

/** The start of every ANSI colour sequence. */
const ANSI_ESCAPE = String.fromCharCode(27) + '[';

describe('log format (BRIDGE_LOG_FORMAT)', () => {
  /** pino-pretty writes to a real stream. */
  const streamCollector = () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    return { lines, stream: stream as unknown as DestinationStream };
  };
  const config = (format?: string) =>
    loadConfig({ ...emulatorEnv, ...(format ? { BRIDGE_LOG_FORMAT: format } : {}) });

  it('is JSON by default when the output is not a terminal (machines)', () => {
    const out = collector();
    createLogger(config(), { destination: out.stream, isTerminal: false }).info({ n: 1 }, 'hello');
    expect(out.records()[0]).toMatchObject({ msg: 'hello', n: 1, environment: 'emulator' });
  });

  it('is one readable line per entry on a terminal, coloured, secrets still scrubbed', () => {
    const out = streamCollector();
    const logger = createLogger(config(), { destination: out.stream, isTerminal: true });
    logger.warn({ opportunityId: '006000000000001AAA', detail: `token ${SECRET}` }, 'sync failed');
    const text = out.lines.join('');
    expect(text.trimEnd().split('\n')).toHaveLength(1);
    expect(text).toContain('sync failed');
    expect(text).toContain('006000000000001AAA');
    expect(text).toContain(ANSI_ESCAPE); // colour
    expect(text).not.toContain(SECRET);
    expect(() => JSON.parse(text)).toThrow();
  });

  it('BRIDGE_LOG_FORMAT=pretty asks for it without a terminal (no colour), json forces JSON on one', () => {
    const pretty = streamCollector();
    createLogger(config('pretty'), { destination: pretty.stream, isTerminal: false }).info('hi');
    expect(pretty.lines.join('')).toMatch(/INFO.*hi/);
    expect(pretty.lines.join('')).not.toContain(ANSI_ESCAPE);
    const json = collector();
    createLogger(config('json'), { destination: json.stream, isTerminal: true }).info('hi');
    expect(json.records()[0]).toMatchObject({ msg: 'hi' });
  });

  it('rejects any other value with a one-line configuration error', () => {
    expect(() => config('xml')).toThrow(/BRIDGE_LOG_FORMAT/);
  });
});
