/** The markdown report and the SVG picture: deterministic, complete, and the SVG well-formed. */
import { formatCapacityReport, NodePool, planCapacity, renderCapacitySvg } from '../../../lib/core';
import { workload } from './support';

const pools = [NodePool.cpu('general', { count: 3, cpu: '4', memory: '8Gi' }), NodePool.gpu('a10', { count: 1, cpu: '16', memory: '64Gi', gpus: 1, gpuProduct: 'NVIDIA-A10G' })];
const toleration = [{ key: 'nvidia.com/gpu', operator: 'Exists' as const, effect: 'NoSchedule' as const }];
const workloads = [workload('fraud<&>', 2, 4, 2, { maxReplicas: 3, surge: 1 }), workload('llm', 8, 32, 1, { gpus: 1, tolerations: toleration, surge: 1 })];
const plan = planCapacity(pools, workloads);

/** Checks that every tag is closed in order and every attribute is quoted: enough for a generated SVG. */
function wellFormed(xml: string): string[] {
  const stack: string[] = [];
  const errors: string[] = [];
  const text = xml.replace(/<title>[^<]*<\/title>/g, '');
  for (const m of text.matchAll(/<(\/?)([a-zA-Z]+)((?:\s+[-a-zA-Z:]+="[^"<]*")*)\s*(\/?)>/g)) {
    const [, close, name, , selfClose] = m;
    if (close) {
      if (stack.pop() !== name) errors.push(`unexpected </${name}>`);
    } else if (!selfClose) stack.push(name!);
  }
  if (stack.length) errors.push(`unclosed ${stack.join(', ')}`);
  const tags = (text.match(/</g) ?? []).length;
  const matched = [...text.matchAll(/<(\/?)([a-zA-Z]+)((?:\s+[-a-zA-Z:]+="[^"<]*")*)\s*(\/?)>/g)].length;
  if (tags !== matched) errors.push(`${tags - matched} malformed tag(s)`);
  if (/&(?!amp;|lt;|gt;|quot;|apos;)/.test(xml)) errors.push('unescaped &');
  return errors;
}

test('the report: verdicts, pools, models, utilization and placement per scenario', () => {
  const report = formatCapacityReport(plan, { title: 'Capacity plan: prod', svgFile: 'capacity-prod.svg' });
  expect(report.startsWith('# Capacity plan: prod\n')).toBe(true);
  expect(report).toContain('![Packing of the replicas onto nodes](capacity-prod.svg)');
  expect(report).toContain('- **every model at minReplicas** (3 pods): fits on **2** node(s) (general 1 of 3, a10 1 of 1), minimal.');
  expect(report).toContain('**does not fit**: 1 replica of llm does not fit: 1 GPU short');
  expect(report).toContain('| a10 | 1 | 16 CPU | 64 GiB | 1 | 110 | nvidia.com/gpu.product=NVIDIA-A10G | nvidia.com/gpu=present:NoSchedule |');
  expect(report).toContain('| fraud<&> | 2 CPU | 4 GiB | 0 | 2 | 3 | 1 | — | any |');
  expect(report.match(/^## /gm)).toEqual(['## ', '## ', '## ', '## ', '## ', '## ']);
  expect(formatCapacityReport(planCapacity(pools, workloads))).toBe(formatCapacityReport(plan));
});

test('the SVG is well-formed, escapes names, draws every node used and is deterministic', () => {
  const svg = renderCapacitySvg(plan);
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  expect(wellFormed(svg)).toEqual([]);
  expect(svg).toContain('fraud&lt;&amp;&gt;');
  expect(svg).not.toContain('fraud<&>');
  const nodes = plan.min.placement.length + plan.max.placement.length + plan.surge.placement.length;
  expect(svg.match(/<g><title>/g)).toHaveLength(nodes);
  expect(renderCapacitySvg(planCapacity(pools, workloads))).toBe(svg);
  expect(wellFormed('<svg><rect x="1"></svg>')).toEqual(['unexpected </svg>', 'unclosed svg']);
});

test('the SVG draws at most maxNodes nodes per scenario', () => {
  const many = planCapacity([NodePool.cpu('general', { count: 30, cpu: '1', memory: '1Gi' })], [workload('w', 1, 1, 25)]);
  const svg = renderCapacitySvg(many, { maxNodes: 10 });
  expect(svg.match(/<g><title>/g)).toHaveLength(30);
  expect(svg).toContain('(first 10 drawn)');
  expect(wellFormed(svg)).toEqual([]);
});
