import { createDealLocks } from '../../src/sync/deal-lock';

/** A one-shot gate: `wait()` blocks until `open()`. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, wait: () => opened };
}

describe('deal locks (one direction of a deal at a time)', () => {
  it('runs work for one deal one after the other, telling the waiter, and other deals at once', async () => {
    const locks = createDealLocks();
    const order: string[] = [];
    const held = gate();
    const first = locks.run('006A', async () => {
      order.push('apply starts');
      await held.wait();
      order.push('apply ends');
    });
    let waited = false;
    const second = locks.run(
      '006A',
      async () => {
        order.push('send');
      },
      () => (waited = true),
    );
    // Another deal is not held up by 006A.
    await locks.run('006B', async () => {
      order.push('other deal');
    });
    expect(waited).toBe(true);
    held.open();
    await Promise.all([first, second]);
    expect(order).toEqual(['apply starts', 'other deal', 'apply ends', 'send']);
  });

  it('enters a deal its own async context already holds at once (the 412 path applies from inside a send)', async () => {
    const locks = createDealLocks();
    let waited = false;
    const result = await locks.run('006A', () =>
      locks.run(
        '006A',
        async () => 'nested',
        () => (waited = true),
      ),
    );
    expect(result).toBe('nested');
    expect(waited).toBe(false);
  });

  it('frees the deal when the work fails', async () => {
    const locks = createDealLocks();
    await expect(
      locks.run('006A', async () => {
        throw new Error('Salesforce refused');
      }),
    ).rejects.toThrow('Salesforce refused');
    let waited = false;
    await locks.run(
      '006A',
      async () => undefined,
      () => (waited = true),
    );
    expect(waited).toBe(false);
  });
});
