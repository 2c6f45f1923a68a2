/**
 * One child process of the end-to-end world (an emulator or the bridge): spawned with an explicit
 * environment, every stdout/stderr line captured (pino JSON lines parsed), killed for sure at the
 * end. Every child is registered so a crashing test file still leaves no orphan behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { waitFor, type WaitOptions } from './wait-for';

export interface LogLine {
  stream: 'stdout' | 'stderr';
  text: string;
  /** The parsed object when the line is JSON (pino), otherwise undefined. */
  json?: Record<string, unknown>;
}

export interface ChildServiceOptions {
  /** Shown in error messages ("salesforce emulator", "bridge"). */
  name: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The Node binary (default: the one that runs jest), e.g. an older LTS line (node-runtime.ts). */
  node?: string;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const live = new Set<ChildProcess>();

// Last line of defence: if the test process goes away, its children go with it.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export class ChildService {
  readonly name: string;
  readonly lines: LogLine[] = [];
  readonly exited: Promise<ExitInfo>;
  private readonly child: ChildProcess;
  private exit: ExitInfo | undefined;

  constructor(options: ChildServiceOptions) {
    this.name = options.name;
    // process.execPath: the Node that runs jest (24), not whatever `node` is first on PATH.
    this.child = spawn(options.node ?? process.execPath, options.args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(this.child);
    // Unreferenced: a test run that forgets to stop us can still end, and the 'exit' hook
    // above then kills us, instead of jest hanging on our open pipes.
    this.child.unref();
    for (const stream of ['stdout', 'stderr'] as const) {
      const source = this.child[stream];
      if (!source) continue;
      (source as unknown as { unref?: () => void }).unref?.();
      createInterface({ input: source }).on('line', (text) => {
        this.lines.push({ stream, text, json: parseJson(text) });
      });
    }
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        live.delete(this.child);
        this.exit = { code, signal };
        resolve(this.exit);
      });
      this.child.once('error', (error) => {
        live.delete(this.child);
        this.lines.push({ stream: 'stderr', text: `spawn failed: ${error.message}` });
        this.exit = { code: -1, signal: null };
        resolve(this.exit);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  /** All captured output as text, for failure messages. */
  output(lastLines = 60): string {
    return this.lines
      .slice(-lastLines)
      .map((l) => `[${this.name} ${l.stream}] ${l.text}`)
      .join('\n');
  }

  /** Pino lines (parsed JSON) matching `predicate`. */
  logs(
    predicate: (entry: Record<string, unknown>) => boolean = () => true,
  ): Record<string, unknown>[] {
    return this.lines.flatMap((l) => (l.json && predicate(l.json) ? [l.json] : []));
  }

  /**
   * Waits for the first line matching `pattern` and returns its match; fails at once (with the
   * output) if the process exits first.
   */
  async waitForLine(pattern: RegExp, options: WaitOptions = {}): Promise<RegExpExecArray> {
    return waitFor(
      () => {
        for (const line of this.lines) {
          const match = pattern.exec(line.text);
          if (match) return match;
        }
        if (this.exit) {
          throw new Error(
            `${this.name} exited (${this.exit.code ?? this.exit.signal}) before printing ${pattern}:\n${this.output()}`,
          );
        }
        return undefined;
      },
      { description: `${this.name} to print ${pattern}`, timeoutMs: 30_000, ...options },
    ).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n${this.output()}`, { cause: error });
    });
  }

  /**
   * The child is unreferenced (see the constructor), so while someone awaits its exit it must
   * hold the event loop itself: otherwise a script whose last work is stopping a child (the
   * benchmark runner) finds the loop empty and ends before 'exit' arrives.
   */
  private async waitForExit(): Promise<ExitInfo> {
    if (!this.running) return this.exited;
    this.child.ref();
    try {
      return await this.exited;
    } finally {
      this.child.unref();
    }
  }

  /** SIGKILL: a crash, no graceful shutdown. Resolves once the process is gone. */
  async kill(): Promise<ExitInfo> {
    if (this.running) this.child.kill('SIGKILL');
    return this.waitForExit();
  }

  /** SIGTERM, then SIGKILL after `graceMs`. Resolves once the process is gone. */
  async stop(graceMs = 10_000): Promise<ExitInfo> {
    if (!this.running) return this.exited;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    try {
      return await this.waitForExit();
    } finally {
      clearTimeout(timer);
    }
  }
}

function parseJson(text: string): Record<string, unknown> | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
