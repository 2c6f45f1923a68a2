import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Outside jest nothing else holds the event loop: a script whose last step is stopping a child
 * must still see the child's exit and carry on (the benchmark runner once ended silently here,
 * exit 0 and no results, because the unreferenced child let Node's loop run empty).
 */
describe('ChildService outside jest', () => {
  it.each(['kill', 'stop'])(
    'a script whose last step is %s() runs on after the child is gone',
    (how) => {
      const script = `
      const { ChildService } = require(${JSON.stringify(join(__dirname, 'child-service.ts'))});
      const child = new ChildService({
        name: 'sleeper',
        args: ['-e', 'console.log("up"); setInterval(() => {}, 1000)'],
        env: {},
        cwd: process.cwd(),
      });
      child
        .waitForLine(/up/)
        .then(() => child.${how}())
        .then((exit) => console.log('after ${how}: ' + (exit.signal ?? exit.code)));
    `;
      const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
        cwd: join(__dirname, '..', '..'),
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(result.stderr).toBe('');
      expect(result.stdout).toMatch(new RegExp(`after ${how}: SIG(KILL|TERM)`));
    },
  );
});
