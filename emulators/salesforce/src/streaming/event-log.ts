/** One stored event: the CometD `data` object and the channels it is published on. */
export interface StoredEvent {
  replayId: number;
  channels: string[];
  storedAt: number;
  data: Record<string, unknown> & { event: { replayId: number; EventUuid?: string } };
}

export type ReplayStart = { ok: true; events: StoredEvent[] } | { ok: false };

/**
 * The event bus's retained events ("Message Durability"): ids increase, events older than the
 * retention window are purged, and a replay id from before the purge is invalid.
 */
export class EventLog {
  private events: StoredEvent[] = [];
  private nextReplayId = 1;
  /** Highest replay id that has been purged (0: nothing purged yet). */
  private purgedThrough = 0;
  private listeners: Array<(e: StoredEvent) => void> = [];

  constructor(public retentionMs: number) {}

  onAppend(listener: (e: StoredEvent) => void): void {
    this.listeners.push(listener);
  }

  /** `eventUuid`: platform events carry one beside the replay id ("EventUuid Field"). */
  append(
    channels: string[],
    data: Record<string, unknown>,
    now: number,
    eventUuid?: string,
  ): StoredEvent {
    const replayId = this.nextReplayId++;
    const event: StoredEvent = {
      replayId,
      channels,
      storedAt: now,
      data: { ...data, event: { ...(eventUuid ? { EventUuid: eventUuid } : {}), replayId } },
    };
    this.events.push(event);
    for (const l of this.listeners) l(event);
    return event;
  }

  purge(now: number): void {
    const cutoff = now - this.retentionMs;
    while (this.events[0] && this.events[0].storedAt <= cutoff) {
      this.purgedThrough = this.events[0].replayId;
      this.events.shift();
    }
  }

  /** Events on `channel` after `replayId` (−2: all retained; −1: none). */
  replay(channel: string, replayId: number, now: number): ReplayStart {
    this.purge(now);
    if (replayId === -1) return { ok: true, events: [] };
    if (replayId === -2) return { ok: true, events: this.on(channel) };
    if (replayId < this.purgedThrough || replayId >= this.nextReplayId || replayId < 0) {
      return { ok: false };
    }
    return { ok: true, events: this.on(channel).filter((e) => e.replayId > replayId) };
  }

  private on(channel: string): StoredEvent[] {
    return this.events.filter((e) => e.channels.includes(channel));
  }

  get latestReplayId(): number {
    return this.nextReplayId - 1;
  }

  /**
   * Latest retained replay id on one channel (null: none retained). Change events and platform
   * events share one id sequence here, so a subscriber of one channel never reaches the bus-wide
   * latest id once events of other channels follow.
   */
  latestReplayIdOn(channel: string): number | null {
    const on = this.on(channel);
    return on.length === 0 ? null : on[on.length - 1]!.replayId;
  }

  get oldestRetainedReplayId(): number | null {
    return this.events[0]?.replayId ?? null;
  }

  clear(): void {
    this.events = [];
    this.nextReplayId = 1;
    this.purgedThrough = 0;
  }

  toJSON() {
    return {
      events: this.events,
      nextReplayId: this.nextReplayId,
      purgedThrough: this.purgedThrough,
    };
  }

  load(state: ReturnType<EventLog['toJSON']>): void {
    this.events = state.events;
    this.nextReplayId = state.nextReplayId;
    this.purgedThrough = state.purgedThrough;
  }
}
