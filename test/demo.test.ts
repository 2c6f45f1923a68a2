import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');

/**
 * `npm run demo` end to end: the script starts both emulators, seeds, runs `cosell setup` and
 * `cosell run` as a child process, and narrates. Its output is the evidence asserted here.
 */
function runDemo(): Promise<{ code: number | null; output: string }> {
  return new Promise((done, fail) => {
    const env = Object.fromEntries(
      Object.entries(process.env).filter(
        ([name]) => !/^(SALESFORCE_|PARTNER_CENTER_|BRIDGE_)/.test(name),
      ),
    );
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', fail);
    child.once('exit', (code) => done({ code, output }));
  });
}

describe('npm run demo', () => {
  it('R1 R8 R11 R16 R18: runs offline in one command and shows every key outcome', async () => {
    const { code, output } = await runDemo();
    if (code !== 0) throw new Error(`the demo exited ${code}:\n${output}`);

    // Setup proved everything in order, including the webhook test event round trip (R6/R8).
    expect(output).toContain('All checks passed.');
    expect(output).toMatch(
      /✓ Webhook test event round-trip \[R8\]: Partner Center delivered a test event/,
    );
    // The valid deal became a referral.
    expect(output).toMatch(/Contoso Pharma → referral [0-9a-f-]{36} \(status Active\/Accepted\)/);
    // The invalid ones got the exact fix (R16 country, R11 contact when help is requested).
    expect(output).toMatch(/Fabrikam Logistics: .*Billing Country.*\bDE\b/);
    expect(output).toMatch(/Adventure Works: .*Customer Contact/);
    // The seller's fix synced it.
    expect(output).toMatch(/Adventure Works → referral [0-9a-f-]{36}/);
    // Microsoft won a deal (R18 Won in Partner Center is reflected).
    expect(output).toContain('stage Closed Won, Partner Center Closed/Won');
    // A Microsoft-created referral became an opportunity with its CRM ID written back (R18).
    expect(output).toMatch(
      /→ new opportunity 006\w{15} "Northwind Traders – modern workplace" \(sync on\), its id written back/,
    );
    // explain shows both directions of the timeline.
    expect(output).toMatch(/Outbound Success referral [0-9a-f-]{36} \(1 call\)/);
    expect(output).toMatch(/Inbound Success referral/);
    // The emulators' own counters are shown (R1), and the bridge shut down gracefully.
    expect(output).toMatch(/Partner Center Referrals API calls today: \d+/);
    expect(output).toContain('bridge stopped gracefully (exit 0)');
    expect(output).toMatch(/Demo complete in \d+\.\ds\./);
  }, 180_000);
});
