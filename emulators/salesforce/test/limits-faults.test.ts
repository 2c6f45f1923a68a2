import type { Connection } from 'jsforce';
import { connect, control, emulatorForFile } from './helpers';

describe('salesforce emulator: limits and fault injection', () => {
  const emu = emulatorForFile();
  let conn: Connection;
  beforeEach(async () => {
    conn = await connect(emu);
  });

  it('limits resource and Sforce-Limit-Info header count every REST call', async () => {
    await conn.query('SELECT Id FROM User');
    expect(conn.limitInfo).toEqual({ apiUsage: { used: 1, limit: 15000 } });
    const limits = await conn.limits();
    expect(limits.DailyApiRequests).toMatchObject({ Max: 15000, Remaining: 14998 });
    expect(conn.limitInfo).toEqual({ apiUsage: { used: 2, limit: 15000 } });
  });

  it('REQUEST_LIMIT_EXCEEDED (403) once the daily allocation is spent', async () => {
    await control(emu, 'POST', '/settings', { dailyApiRequests: 2 });
    await conn.query('SELECT Id FROM User');
    await conn.query('SELECT Id FROM User');
    await expect(conn.sobject('Account').create({ Name: 'x' })).rejects.toMatchObject({
      errorCode: 'REQUEST_LIMIT_EXCEEDED',
      message: 'TotalRequests Limit exceeded.',
    });
  });

  it('HTTP fault rules answer matching requests (times-limited) and count in stats', async () => {
    await control(emu, 'POST', '/faults', {
      match: { method: 'POST', path: '/services/data' },
      respond: { status: 503, body: [{ errorCode: 'SERVER_UNAVAILABLE', message: 'down' }] },
      times: 1,
    });
    await expect(conn.sobject('Account').create({ Name: 'x' })).rejects.toMatchObject({
      errorCode: 'SERVER_UNAVAILABLE',
    });
    await expect(conn.sobject('Account').create({ Name: 'x' })).resolves.toMatchObject({
      success: true,
    });
    const stats = (await control(emu, 'GET', '/stats')).body as {
      requests: Record<string, number>;
    };
    expect(stats.requests['POST /services/data/vXX.X/sobjects/Account']).toBe(2);
  });

  it('a UNABLE_TO_LOCK_ROW fault on a composite write surfaces as that errorCode', async () => {
    await control(emu, 'POST', '/faults', {
      match: { method: 'PATCH', path: '/services/data/v62.0/composite/sobjects' },
      respond: {
        status: 400,
        body: [
          {
            errorCode: 'UNABLE_TO_LOCK_ROW',
            message: 'unable to obtain exclusive access to this record',
          },
        ],
      },
      times: 1,
    });
    const a = await conn.sobject('Account').create({ Name: 'x' });
    await expect(
      conn.sobject('Account').update([{ Id: a.id as string, Phone: '1' }]),
    ).rejects.toMatchObject({
      errorCode: 'UNABLE_TO_LOCK_ROW',
    });
  });
});
