// docs/DEPLOY.md is what an operator copies onto the host. The store it sets up holds referral
// data (customers, contacts, deal values) and the audit journal, so the state and backup folders
// it creates and the files the service writes must be readable by the service user only: with
// the plain `mkdir` and no UMask it advised, /var/lib/cosell was 755 and the backups 644.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const deploy = readFileSync(join(__dirname, '..', '..', 'docs', 'DEPLOY.md'), 'utf8');

/** The fenced block that follows the line naming `title`. */
function blockAfter(title: string): string {
  const start = deploy.indexOf(title);
  expect(start).toBeGreaterThanOrEqual(0);
  const block = /```[a-z]*\n([\s\S]*?)```/.exec(deploy.slice(start));
  return block?.[1] ?? '';
}

describe('docs/DEPLOY.md keeps the state private', () => {
  it('creates the state and backup folders for the cosell user only (mode 700)', () => {
    const commands = blockAfter('## 3. Host and package');
    for (const folder of ['/var/lib/cosell', '/var/backups/cosell']) {
      const creating = commands
        .split('\n')
        .filter((line) => line.includes(folder) && !line.includes('useradd'));
      expect(creating).toEqual([
        expect.stringMatching(/^sudo install -d -m 700 -o cosell -g cosell .*/),
      ]);
    }
  });

  it('the systemd unit makes everything the service writes private (UMask=0077) and drops capabilities', () => {
    const unit = blockAfter('`/etc/systemd/system/cosell.service`');
    const settings = unit.split('\n').filter((line) => /^[A-Za-z]+=/.test(line));
    expect(settings).toEqual(
      expect.arrayContaining([
        'UMask=0077',
        'NoNewPrivileges=true',
        'ProtectSystem=strict',
        'CapabilityBoundingSet=',
        'ReadWritePaths=/var/lib/cosell',
      ]),
    );
  });

  it('the environment file with the secrets is readable by root and the service group only', () => {
    expect(blockAfter('## 4. The environment file')).toMatch(
      /^sudo install -m 640 -o root -g cosell \/dev\/null \/etc\/cosell\/bridge\.env$/m,
    );
  });
});
