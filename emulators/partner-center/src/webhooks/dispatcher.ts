import type { DeliveryFault } from './delivery-faults';
import type { SigningCertificate } from './signing-certificate';

export interface DeliveryAttempt {
  at: string;
  status?: number;
  error?: string;
}

export interface Delivery {
  id: number;
  eventName: string;
  url: string;
  body: string;
  state: 'scheduled' | 'held' | 'in-flight' | 'retrying' | 'succeeded' | 'failed' | 'dropped';
  attempts: DeliveryAttempt[];
  fault?: DeliveryFault;
}

export interface DispatcherOptions {
  certificate: SigningCertificate;
  certificateUrl(): string;
  /** Delay before each retry; its length is the number of retries (Partner Center: 10 attempts). */
  retryScheduleMs: readonly number[];
  /** The fault rule for the next delivery of this event, if any (taken from the FaultBook). */
  takeFault(eventName: string): DeliveryFault | undefined;
  /** Partner Center's newer option: put the signature in `x-ms-signature` instead. */
  signatureInMsHeader(): boolean;
  requestTimeoutMs?: number;
  /** How long a `reorder` delivery waits for a successor before it goes out anyway. */
  reorderHoldMs?: number;
  onAttempt?(delivery: Delivery, attempt: DeliveryAttempt): void;
}

/** First retry within 5 s, then doubling: 10 attempts in all, as Partner Center makes. */
export const DEFAULT_RETRY_SCHEDULE_MS = [
  1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000,
];

/**
 * Sends webhook events the way Partner Center does (partner-center-webhooks): POST with
 * `Authorization: Signature <base64 RSA-SHA256 of the body>`, `x-ms-certificate-url`,
 * `x-ms-signature-algorithm: rsa-sha256`; any non-2xx or network error is retried on a schedule.
 */
export class WebhookDispatcher {
  private deliveries: Delivery[] = [];
  private nextId = 1;
  private timers = new Set<NodeJS.Timeout>();
  private inFlight = new Set<AbortController>();
  private held: Array<{ delivery: Delivery; release: () => void }> = [];
  private counters = { attempted: 0, succeeded: 0, failed: 0, dropped: 0, gaveUp: 0 };

  constructor(private readonly options: DispatcherOptions) {}

  /** Queues the event for `url`; returns the deliveries it produced (several when duplicated). */
  publish(url: string, eventName: string, event: Record<string, unknown>): Delivery[] {
    const body = JSON.stringify(event);
    const fault = this.options.takeFault(eventName);
    const copies = fault?.duplicate ?? 1;
    const created: Delivery[] = [];
    for (let i = 0; i < copies; i += 1) {
      const delivery: Delivery = {
        id: this.nextId++,
        eventName,
        url,
        body,
        state: 'scheduled',
        attempts: [],
        fault,
      };
      this.deliveries.push(delivery);
      created.push(delivery);
    }
    if (fault?.drop) {
      for (const d of created) d.state = 'dropped';
      this.counters.dropped += created.length;
      return created;
    }
    const start = () => {
      for (const d of created) this.firstAttempt(d);
    };
    if (fault?.reorder) {
      for (const d of created) d.state = 'held';
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        this.held = this.held.filter((h) => !created.includes(h.delivery));
        start();
      };
      for (const d of created) this.held.push({ delivery: d, release });
      this.after(this.options.reorderHoldMs ?? 10_000, release);
      return created;
    }
    if (fault?.delayMs) this.after(fault.delayMs, start);
    else start();
    return created;
  }

  log(): Delivery[] {
    return structuredClone(this.deliveries);
  }

  stats(): Record<string, number> {
    const pending = this.deliveries.filter(
      (d) => !['succeeded', 'failed', 'dropped'].includes(d.state),
    ).length;
    return { ...this.counters, pending };
  }

  /** Cancels every pending delivery and forgets the log. */
  reset(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const controller of this.inFlight) controller.abort();
    this.inFlight.clear();
    this.held = [];
    this.deliveries = [];
    this.counters = { attempted: 0, succeeded: 0, failed: 0, dropped: 0, gaveUp: 0 };
  }

  private firstAttempt(delivery: Delivery): void {
    // "Send it after the next one": deliveries held for reordering go out once this later one
    // has been answered, so the receiver sees them in the wrong order.
    const heldBefore = delivery.fault?.reorder ? [] : [...this.held];
    void this.attempt(delivery).then(() => {
      for (const h of heldBefore) h.release();
    });
  }

  private async attempt(delivery: Delivery): Promise<void> {
    delivery.state = 'in-flight';
    const body = Buffer.from(delivery.body, 'utf8');
    const signature = this.options.certificate.sign(body);
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'x-ms-certificate-url': this.options.certificateUrl(),
      'x-ms-signature-algorithm': 'rsa-sha256',
    };
    if (this.options.signatureInMsHeader()) headers['x-ms-signature'] = signature;
    else headers.Authorization = `Signature ${signature}`;
    const controller = new AbortController();
    this.inFlight.add(controller);
    const timeout = setTimeout(() => controller.abort(), this.options.requestTimeoutMs ?? 10_000);
    const record: DeliveryAttempt = { at: new Date().toISOString() };
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers,
        body,
        redirect: 'manual',
        signal: controller.signal,
      });
      await response.arrayBuffer().catch(() => undefined);
      record.status = response.status;
    } catch (error) {
      record.error =
        error instanceof Error
          ? error.cause instanceof Error
            ? error.cause.message
            : error.message
          : String(error);
    } finally {
      clearTimeout(timeout);
      this.inFlight.delete(controller);
    }
    if (!this.deliveries.includes(delivery)) return; // reset() forgot it meanwhile
    delivery.attempts.push(record);
    this.counters.attempted += 1;
    const ok = record.status !== undefined && record.status >= 200 && record.status < 300;
    if (ok) {
      this.counters.succeeded += 1;
      delivery.state = 'succeeded';
    } else {
      this.counters.failed += 1;
      const retryIndex = delivery.attempts.length - 1;
      const delay = this.options.retryScheduleMs[retryIndex];
      if (delay === undefined) {
        delivery.state = 'failed';
        this.counters.gaveUp += 1;
      } else {
        delivery.state = 'retrying';
        this.after(delay, () => void this.attempt(delivery));
      }
    }
    this.options.onAttempt?.(delivery, record);
  }

  private after(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }
}
