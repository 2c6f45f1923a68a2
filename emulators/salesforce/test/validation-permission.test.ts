import { resolve } from 'node:path';
import type { Connection } from 'jsforce';
import { connect, control, emulatorForFile } from './helpers';

const REPOSITORY_FORCE_APP = resolve(__dirname, '../../../force-app');

describe('salesforce emulator: $Permission in validation rules (the package rules hold in Error)', () => {
  const emu = emulatorForFile({ forceAppDir: REPOSITORY_FORCE_APP });
  let bridge: Connection;
  beforeEach(async () => {
    bridge = await connect(emu);
  });

  const opportunity = (fields: Record<string, unknown> = {}) => ({
    Name: 'Contoso',
    StageName: 'Prospecting',
    CloseDate: '2030-01-31',
    Sync_with_Partner_Center__c: true,
    Partner_Center_Sync_Status__c: 'Error',
    ...fields,
  });

  it('R11: a seller (a System Administrator too) cannot save sync on without amount or account, even in Error', async () => {
    const seeded = await control(emu, 'POST', '/records', {
      sobject: 'Opportunity',
      records: [opportunity()],
    });
    expect(seeded.status).toBe(400);
    expect(seeded.body).toEqual([
      expect.objectContaining({ errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION' }),
    ]);
  });

  it("R11: the bridge's own writes pass (Co_Sell_Bridge_Writes), and lose that exemption with the permission set", async () => {
    const created = await bridge.sobject('Opportunity').create(opportunity());
    expect(created.success).toBe(true);
    await bridge.sobject('Opportunity').update({
      Id: String(created.id),
      Partner_Center_Sync_Message__c: 'Enter an Amount greater than 0.',
    });
    const reassign = (assigned: boolean) =>
      control(emu, 'POST', '/permission-sets', {
        permissionSet: 'Co_Sell_Bridge_Integration',
        assigned,
      });
    await reassign(false);
    // Without the permission set the bridge cannot even see the fields; with a copy that lacks
    // the custom permission the rules would apply: the exemption is the permission, not the user.
    expect(
      emu.state.org.accessChecker(emu.users.integration).customPermission('Co_Sell_Bridge_Writes'),
    ).toBe(false);
    await reassign(true);
    expect(
      emu.state.org.accessChecker(emu.users.integration).customPermission('Co_Sell_Bridge_Writes'),
    ).toBe(true);
    expect(
      emu.state.org.accessChecker(emu.users.admin).customPermission('Co_Sell_Bridge_Writes'),
    ).toBe(false);
  });
});
