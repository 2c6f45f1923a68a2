/**
 * The env file and the Salesforce private key hold the bridge's credentials. docs/DEPLOY.md makes
 * them 640 root:cosell and 600; `cosell doctor` now fails, with the chmod that fixes it, when
 * either is open to every user of the machine (ssh refuses such a key for the same reason). Real
 * `cosell doctor --json` processes; the services are unreachable (nothing listens on port 1), which
 * does not matter to this check.
 */
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BridgeProcess } from '../support';

interface Check {
  id: string;
  state: string;
  detail: string;
  fix?: string;
}

describe('cosell doctor: files holding secrets are not open to every local user', () => {
  let bridge: BridgeProcess;
  let dir: string;
  let envFile: string;
  let keyFile: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cosell-secret-files-'));
    envFile = join(dir, 'bridge.env');
    writeFileSync(envFile, '# the variables come from the environment in this test\n');
    keyFile = join(dir, 'salesforce.key');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    bridge = await BridgeProcess.create({
      salesforceUrl: 'http://127.0.0.1:1',
      partnerCenterUrl: 'http://127.0.0.1:1',
      overrides: {
        SALESFORCE_CLIENT_SECRET: undefined,
        SALESFORCE_USERNAME: 'bridge@contoso.example',
        SALESFORCE_PRIVATE_KEY_FILE: keyFile,
      },
    });
  });

  afterAll(async () => {
    await bridge?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  async function secretFilesCheck(): Promise<Check> {
    const result = await bridge.cli(['doctor', '--json', '--env-file', envFile]);
    const checks = (result.json as { checks: Check[] }).checks;
    return checks.find((check) => check.id === 'secret-files')!;
  }

  it('as docs/DEPLOY.md sets them up (640 and 600): passes and shows the modes', async () => {
    chmodSync(envFile, 0o640);
    chmodSync(keyFile, 0o600);
    const check = await secretFilesCheck();
    expect(check.state).toBe('ok');
    expect(check.detail).toContain(`env file ${envFile} (640)`);
    expect(check.detail).toContain(`SALESFORCE_PRIVATE_KEY_FILE ${keyFile} (600)`);
  }, 60_000);

  it('readable by everyone (644): fails, names each file and gives the chmod', async () => {
    chmodSync(envFile, 0o644);
    chmodSync(keyFile, 0o644);
    const check = await secretFilesCheck();
    expect(check.state).toBe('failed');
    expect(check.detail).toContain(`env file ${envFile} (644)`);
    expect(check.detail).toContain(`SALESFORCE_PRIVATE_KEY_FILE ${keyFile} (644)`);
    expect(check.fix).toContain(`chmod o-rwx ${envFile} ${keyFile}`);
  }, 60_000);
});
