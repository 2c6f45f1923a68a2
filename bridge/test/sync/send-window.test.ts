import { createSendWindow } from '../../src/sync/send-window';

const OPP = '006000000000001AAA';
const OTHER = '006000000000002AAA';

describe('send window (leading + trailing edge)', () => {
  it('R1: the first change of a quiet opportunity is due at once', () => {
    const window = createSendWindow(2_000);
    expect(window.dueAt(OPP, 10_000)).toBe(10_000);
    // Another opportunity is quiet too, whatever happens to the first.
    expect(window.dueAt(OTHER, 10_020)).toBe(10_020);
  });

  it('R1: a 50-edit burst is two sends: the first edit at once, the rest one window after the last', () => {
    const window = createSendWindow(2_000);
    const dues = Array.from({ length: 50 }, (_, i) => window.dueAt(OPP, 10_000 + i * 20));
    expect(dues[0]).toBe(10_000);
    // Each later edit moves the trailing send on; the job keeps only the last time.
    expect(dues.slice(1)).toEqual(dues.slice(1).map((_, i) => 10_000 + (i + 1) * 20 + 2_000));
  });

  it('R1: a slow burst (edits closer than the window, longer than it) is still one trailing send', () => {
    const window = createSendWindow(1_000);
    expect(window.dueAt(OPP, 0)).toBe(0);
    for (let t = 500; t <= 3_000; t += 500) expect(window.dueAt(OPP, t)).toBe(t + 1_000);
  });

  it('R1: a stream that never pauses is still sent at least every maxWait', () => {
    const window = createSendWindow(1_000, 5_000);
    window.dueAt(OPP, 0);
    for (let t = 500; t <= 3_500; t += 500) expect(window.dueAt(OPP, t)).toBe(t + 1_000);
    expect(window.dueAt(OPP, 4_000)).toBe(5_000);
    expect(window.dueAt(OPP, 4_500)).toBe(5_000);
  });

  it('R1: a change a full window after the previous one is a leading edge again', () => {
    const window = createSendWindow(2_000);
    window.dueAt(OPP, 10_000);
    expect(window.dueAt(OPP, 10_500)).toBe(12_500);
    expect(window.dueAt(OPP, 12_500)).toBe(12_500);
    // Pruned memory (well past the window) behaves like a quiet opportunity.
    expect(window.dueAt(OPP, 60_000)).toBe(60_000);
  });

  it('a zero window sends every change at once', () => {
    const window = createSendWindow(0);
    expect(window.dueAt(OPP, 1)).toBe(1);
    expect(window.dueAt(OPP, 2)).toBe(2);
  });
});
