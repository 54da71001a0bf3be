/**
 * Properties over random valid services and options: monitoring always renders objects that
 * validate, PromQL that parses and stays inside the model's namespace, a dashboard uid Grafana
 * accepts, and a GPU alert exactly when the pods hold GPUs.
 */
import fc from 'fast-check';
import { Duration, MonitorKind, podPattern, renderModelService, Problems, renderModelMonitoring, type ModelMonitoringOptions } from '../../../lib/core';
import { dnsLabel, validProps } from '../properties/arbitraries';
import { checkPromQL } from '../../support/promql-check';
import { dashboardOf, expectValid, rulesOf } from './support';

const options: fc.Arbitrary<ModelMonitoringOptions> = fc.record(
  {
    target: fc.constantFrom(MonitorKind.SERVICE_MONITOR, MonitorKind.POD_MONITOR),
    scrapeInterval: fc.integer({ min: 1, max: 300 }).map((s) => Duration.seconds(s)),
    dashboard: fc.boolean(),
    alerts: fc.record(
      {
        availability: fc.double({ min: 0.5, max: 0.9999, noNaN: true }),
        queueGrowthWindow: fc.integer({ min: 2, max: 120 }).map((m) => Duration.minutes(m)),
        restarts: fc.integer({ min: 0, max: 20 }),
        gpuMemory: fc.double({ min: 0.5, max: 1, noNaN: true }),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);

test('random valid services and options render valid, parseable, scoped monitoring', () => {
  fc.assert(
    fc.property(validProps(), dnsLabel, options, ({ props }, namespace, opts) => {
      const svc = renderModelService({ path: 'test/model', defaultName: 'model' }, { ...props, namespace });
      const m = renderModelMonitoring(svc, opts, new Problems('test/model'));
      expectValid(m.objects);
      for (const r of rulesOf(m)) {
        for (const s of checkPromQL(r.expr).selectors) expect([s.matchers['namespace'], s.matchers['exported_namespace']]).toContain(`=${namespace}`);
      }
      const gpus = svc.deployment['spec'] as { template: { spec: { containers: { resources: { limits?: Record<string, string> } }[] } } };
      const accelerated = Object.keys(gpus.template.spec.containers[0]!.resources.limits ?? {}).some((k) => k.startsWith('nvidia.com/'));
      expect(m.alerts.includes('ModelGpuMemoryHigh')).toBe(accelerated);
      if (opts.dashboard !== false) {
        const { json } = dashboardOf(m);
        expect(json.uid.length).toBeLessThanOrEqual(40);
        expect(json.uid).toMatch(/^[a-z0-9-]+$/);
        for (const p of json.panels) for (const t of p.targets) checkPromQL(t.expr, ['$__rate_interval']);
      }
    }),
    { numRuns: 60 },
  );
});

test('the pod pattern matches the pods of a Deployment of any valid name, as the API server names them, and no other Deployment\'s', () => {
  // A pod is `<replicaset>-` cut to 58 characters plus 5 random ones; the ReplicaSet is `<deployment>-<pod-template-hash>`.
  const podName = (deployment: string, hash: string, random: string) => `${deployment}-${hash}-`.slice(0, 58) + random;
  const hashes = fc.stringMatching(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  const randoms = fc.stringMatching(/^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  const names = fc.stringMatching(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/);
  fc.assert(
    fc.property(names, hashes, randoms, (name, hash, random) => {
      const anchored = new RegExp(`^(?:${podPattern(name)})$`);
      expect(anchored.test(podName(name, hash, random))).toBe(true);
      if (name.length <= 40) expect(anchored.test(podName(`${name}-v2`, hash, random))).toBe(false);
    }),
    { numRuns: 500, seed: 21 },
  );
  for (const length of [46, 47, 50, 56, 57, 63]) {
    const name = 'm'.repeat(length);
    expect(new RegExp(`^(?:${podPattern(name)})$`).test(podName(name, '5d8c9b7f4f', 'x7k2p'))).toBe(true);
  }
});
