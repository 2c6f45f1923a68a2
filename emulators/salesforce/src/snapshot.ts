import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { EmulatorState } from './emulator-state';
import { applyComponents } from './metadata/metadata-deploys';

const FORMAT = 1;

/** Saves the org (records, users' access, tokens, retained events) so a demo survives restarts. */
export function saveSnapshot(state: EmulatorState, file: string): void {
  const data = {
    format: FORMAT,
    clockOffsetMs: state.clock.now() - Date.now(),
    org: state.org.snapshot(),
    // The deployed metadata: an org the CLI deployed into keeps its schema across restarts.
    components: [...state.components],
    tokens: state.tokens.toJSON(),
    events: state.events.toJSON(),
    apiRequestsUsed: state.apiRequestsUsed,
  };
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(data));
  renameSync(tmp, file); // atomic: a crash leaves the old snapshot or the new one
}

export function loadSnapshot(state: EmulatorState, file: string): boolean {
  if (!existsSync(file)) return false;
  let data: ReturnType<typeof JSON.parse>;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new Error(`Failed to read the emulator snapshot ${file}`, { cause });
  }
  if (data?.format !== FORMAT) throw new Error(`Unsupported snapshot format in ${file}`);
  if (Array.isArray(data.components) && data.components.length > 0) {
    applyComponents(state, new Map(data.components));
  }
  state.org.restore(data.org);
  state.tokens.load(data.tokens);
  state.events.load(data.events);
  state.apiRequestsUsed = data.apiRequestsUsed ?? 0;
  if (typeof data.clockOffsetMs === 'number' && data.clockOffsetMs > 0) {
    state.clock.advance(data.clockOffsetMs);
  }
  return true;
}
