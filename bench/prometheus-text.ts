/**
 * Reads Prometheus text exposition (the bridge's `GET /metrics`) into samples, so the benchmark
 * can cross-check the bridge's own counters against the emulators' request counts.
 */
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parsePrometheusText(text: string): PromSample[] {
  const samples: PromSample[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const match = SAMPLE.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(LABEL)) {
      if (key !== undefined) labels[key] = (value ?? '').replace(/\\(.)/g, '$1');
    }
    samples.push({ name: match[1] ?? '', labels, value: Number(match[3]) });
  }
  return samples;
}

export function sumSamples(
  samples: readonly PromSample[],
  name: string,
  accept: (labels: Record<string, string>) => boolean = () => true,
): number {
  return samples
    .filter((s) => s.name === name && accept(s.labels))
    .reduce((sum, s) => sum + s.value, 0);
}
