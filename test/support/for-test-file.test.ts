import { forTestFile } from './for-test-file';

class Counter {
  count = 0;
  resets = 0;
  stopped = false;
  increment(): number {
    this.count += 1;
    return this.count;
  }
}

describe('forTestFile', () => {
  const started: Counter[] = [];
  let touchedTooEarly: unknown;
  try {
    // The describe body runs before beforeAll: the stand-in must say so rather than hand out undefined.
    touchedTooEarly = (
      forTestFile(async () => new Counter(), { stop: async () => undefined }) as Counter
    ).count;
  } catch (error) {
    touchedTooEarly = error;
  }
  const counter = forTestFile(
    async () => {
      const fresh = new Counter();
      started.push(fresh);
      return fresh;
    },
    {
      stop: async (c) => {
        c.stopped = true;
      },
      resetBeforeEach: async (c) => {
        c.resets += 1;
      },
    },
  );

  it('throws when used before the file has started it', () => {
    expect(touchedTooEarly).toBeInstanceOf(Error);
    expect(String(touchedTooEarly)).toMatch(/starts in beforeAll/);
  });

  it('starts once, resets before each test and forwards reads, writes and methods', () => {
    expect(started).toHaveLength(1);
    expect(counter.resets).toBe(2); // this is the second test of the file
    expect(counter.increment()).toBe(1); // `this` is the running resource
    counter.count = 41;
    expect(started[0]!.count).toBe(41);
    expect(started[0]!.stopped).toBe(false);
  });
});
