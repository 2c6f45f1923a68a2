/**
 * A resource one jest test file shares (an emulator, a webhook receiver): started before the
 * file's first test, optionally reset before each test, stopped after its last. Call it in the
 * `describe` body. The returned stand-in forwards every property read and write to the running
 * resource, so tests write `pc.api(…)` as if they held it; touched before `beforeAll` has run, it
 * throws instead of failing later on an undefined. jest runs hooks in the order they are
 * registered, so a file's own hooks registered after this call see the resource started and reset.
 */
export function forTestFile<T extends object>(
  start: () => Promise<T>,
  lifecycle: {
    stop: (resource: T) => Promise<void>;
    resetBeforeEach?: (resource: T) => Promise<unknown>;
  },
): T {
  let running: T | undefined;
  const current = (): T => {
    if (!running)
      throw new Error('forTestFile: the resource starts in beforeAll; use it in tests and hooks');
    return running;
  };
  beforeAll(async () => {
    running = await start();
  });
  const { resetBeforeEach } = lifecycle;
  if (resetBeforeEach) {
    beforeEach(async () => {
      await resetBeforeEach(current());
    });
  }
  afterAll(async () => {
    if (running) await lifecycle.stop(running);
  });
  return new Proxy({} as T, {
    get: (_target, key) => {
      const resource = current();
      const value: unknown = Reflect.get(resource, key);
      // Methods keep their `this` (class instances such as a receiver).
      return typeof value === 'function' ? value.bind(resource) : value;
    },
    set: (_target, key, value) => Reflect.set(current(), key, value),
  });
}
