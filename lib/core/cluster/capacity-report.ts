import type { CapacityPlan } from '../capacity/plan';
import { formatCapacityReport } from '../capacity/report';

/** The file names of a cluster's capacity report (cdk8s writes them under `reports/`): `capacity-<namespace>.md` and `.svg`. */
export function capacityReportFiles(namespace: string): { readonly markdown: string; readonly svg: string } {
  const base = `capacity-${namespace}`;
  return { markdown: `${base}.md`, svg: `${base}.svg` };
}

/**
 * The capacity plan of the cluster whose namespace is `namespace`, as markdown titled
 * `Capacity plan of <namespace>`: the same text from both front ends.
 *
 * @param svgFile the picture's file, linked from the report when it is written beside it
 */
export function clusterCapacityReport(namespace: string, plan: CapacityPlan, svgFile?: string): string {
  return formatCapacityReport(plan, { title: `Capacity plan of ${namespace}`, ...(svgFile !== undefined ? { svgFile } : {}) });
}
