import { Resource } from './instance';

const trim = (x: number, digits: number) => String(Number(x.toFixed(digits)));

/** CPU in cores (`2 CPU`, `0.5 CPU`) from millicores. */
export const formatCpu = (millis: number): string => `${trim(millis / 1000, 3)} CPU`;

/** Memory in GiB, or MiB below 1 GiB (`4 GiB`, `512 MiB`). */
export function formatMemory(bytes: number): string {
  if (Math.abs(bytes) >= 2 ** 30 || bytes === 0) return `${trim(bytes / 2 ** 30, 2)} GiB`;
  return `${trim(bytes / 2 ** 20, 1)} MiB`;
}

const plural = (n: number, one: string, many: string) => `${trim(n, 2)} ${n === 1 ? one : many}`;

/** An amount of a resource in the units people write it in. */
export function formatAmount(resource: Resource | 'nodes', amount: number): string {
  switch (resource) {
    case 'cpu':
      return formatCpu(amount);
    case 'memory':
      return formatMemory(amount);
    case 'gpu':
      return plural(amount, 'GPU', 'GPUs');
    case 'pods':
      return plural(amount, 'pod', 'pods');
    case 'nodes':
      return plural(amount, 'node', 'nodes');
    default:
      // A MIG slice resource: `3 × nvidia.com/mig-1g.10gb`.
      return `${trim(amount, 2)} × ${resource}`;
  }
}

/** A fraction as a percentage with one decimal (`56.3%`). */
export const formatPercent = (fraction: number): string => `${(fraction * 100).toFixed(1)}%`;
