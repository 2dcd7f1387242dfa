/** Reading what `/metrics` serves, in Prometheus' text format, in tests. */
import { webhooksRefused } from "../../src/metrics/metrics.js";

/** Deliveries this process refused for `reason` so far. */
export async function refusals(reason: string): Promise<number> {
  return (await webhooksRefused.get()).values.find((v) => v.labels.reason === reason)?.value ?? 0;
}

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition. */
export function parseMetrics(text: string): Sample[] {
  return text.split("\n").flatMap((line) => {
    const match = /^([a-z_:][a-z0-9_:]*)(?:\{(.*)\})? (\S+)$/u.exec(line);
    if (!match) return [];
    const labels = Object.fromEntries(
      [...(match[2] ?? "").matchAll(/([a-z_]+)="([^"]*)"/gu)].map((m) => [m[1], m[2]]),
    );
    return [{ name: match[1] as string, labels, value: Number(match[3]) }];
  });
}

/** The sum of the samples named `name` whose labels include `labels`. */
export function total(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}
