/**
 * Random valid props, every runtime and artifact kind: rendering succeeds, every object passes
 * Pod Security "restricted" and the strict Kubernetes 1.28 schema (cross-object rules included),
 * and the objects agree with each other and with the props.
 */
import fc from 'fast-check';
import { parseQuantity, PortRole, type Container, type PodSpec } from '../../../lib/core';
import { checkObjectPodSecurity } from '../../../lib/core/policy';
import { render } from '../../support/fixtures';
import { formatProblems, validateK8sObjects } from '../../support/k8s-validate';
import { validProps, type RuntimeKind } from './arbitraries';

const RUNS = { numRuns: 100 };
const KINDS: RuntimeKind[] = ['torchserve', 'tfserving', 'triton', 'vllm', 'custom'];

describe.each(KINDS)('%s: random valid props', (kind) => {
  test('render, pass Pod Security restricted and the strict 1.28 schema', () => {
    fc.assert(
      fc.property(validProps([kind]), ({ props }) => {
        const rendered = render(props);
        expect(rendered.objects.length).toBeGreaterThanOrEqual(5);
        for (const o of rendered.objects) expect(checkObjectPodSecurity(o)).toEqual([]);
        expect(formatProblems(validateK8sObjects(rendered.objects).filter((r) => r.problems.length > 0))).toBe('');
      }),
      RUNS,
    );
  });
});

describe('random valid props, any runtime', () => {
  test('objects agree with each other and with the props', () => {
    fc.assert(
      fc.property(validProps(), ({ props }) => {
        const rendered = render(props);
        const name = props.name ?? 'fraud';
        const deployment = rendered.deployment['spec'] as { replicas: number; progressDeadlineSeconds: number; selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: PodSpec } };
        const pod = deployment.template.spec;
        const server = pod.containers[0]!;
        const containers: Container[] = [...(pod.initContainers ?? []), ...pod.containers];

        // Names, namespace and labels.
        for (const o of rendered.objects) {
          expect(o.metadata.name.startsWith(name)).toBe(true);
          expect(o.metadata.namespace).toBe(props.namespace);
          expect(o.metadata.labels).toMatchObject({ ...props.labels, ...rendered.selector });
        }
        expect(deployment.template.metadata.labels).toMatchObject(deployment.selector.matchLabels);
        expect((rendered.service['spec'] as { selector: unknown }).selector).toEqual(deployment.selector.matchLabels);
        expect(deployment.replicas).toBe(props.replicas ?? 2);

        // The budget reaches the objects.
        expect(deployment.progressDeadlineSeconds).toBe(rendered.budget.progressDeadlineSeconds);
        expect(server.startupProbe).toMatchObject(rendered.budget.startupProbe);
        // The first startup check runs at start: the last allowed failure comes (failureThreshold − 1) periods later.
        expect(rendered.budget.startupProbe.periodSeconds * (rendered.budget.startupProbe.failureThreshold - 1)).toBeGreaterThanOrEqual(rendered.budget.modelLoadSeconds);
        expect(rendered.budget.podReadySeconds).toBe(rendered.budget.imagePullSeconds + rendered.budget.downloadSeconds + rendered.budget.modelLoadSeconds + rendered.budget.startupProbe.periodSeconds + server.readinessProbe!.periodSeconds);
        expect(deployment.progressDeadlineSeconds).toBeGreaterThanOrEqual(rendered.budget.podReadySeconds);

        // Security: restricted everywhere, no token, drain shorter than grace.
        for (const c of containers) expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
        expect(pod.automountServiceAccountToken).toBe(false);
        const drain = server.lifecycle ? Number(server.lifecycle.preStop!.exec.command[1]) : 0;
        expect(drain).toBeLessThan(pod.terminationGracePeriodSeconds);

        // Resources: props (or defaults) reach the server; limits never below requests.
        expect(server.resources.requests).toMatchObject({ cpu: props.resources?.cpu ?? '1', memory: props.resources?.memory ?? '2Gi' });
        expect(server.resources.limits!['memory']).toBe(props.resources?.memoryLimit ?? props.resources?.memory ?? '2Gi');
        // Memory-backed volumes (vLLM's /dev/shm) stay below the memory limit they are charged to.
        const inMemory = (pod.volumes ?? []).filter((v) => v.emptyDir?.medium === 'Memory').reduce((sum, v) => sum + parseQuantity(v.emptyDir!.sizeLimit!)!, 0);
        expect(inMemory).toBeLessThan(parseQuantity(server.resources.limits!['memory']!)!);

        // Ports: the Service never exposes admin ports; the NetworkPolicy admits only inference ports from clients.
        const roles = new Map(rendered.profile.ports.map((p) => [p.name, p.role]));
        for (const p of (rendered.service['spec'] as { ports: { name: string }[] }).ports) expect(roles.get(p.name)).not.toBe(PortRole.ADMIN);
        const ingress = (rendered.networkPolicy['spec'] as { ingress: { from?: unknown[]; ports: { port: string }[] }[] }).ingress;
        for (const p of ingress[0]!.ports) expect([PortRole.HTTP, PortRole.GRPC]).toContain(roles.get(p.port));
        // Metrics get their own rule (from the monitoring namespace) unless they are on an inference port open to every client.
        const metrics = rendered.profile.metrics;
        const unrestricted = ingress[0]!.from === undefined;
        const metricsOnInference = metrics !== undefined && ingress[0]!.ports.some((p) => p.port === metrics.port);
        const monitoringRule = { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': props.monitoringNamespace ?? 'monitoring' } } }], ports: [{ protocol: 'TCP', port: metrics?.port }] };
        expect(ingress.slice(1)).toEqual(metrics !== undefined && !(unrestricted && metricsOnInference) ? [monitoringRule] : []);

        // Volume names and mount paths are unique.
        const volumes = (pod.volumes ?? []).map((v) => v.name);
        expect(new Set(volumes).size).toBe(volumes.length);
        for (const c of containers) {
          const paths = (c.volumeMounts ?? []).map((m) => m.mountPath);
          expect(new Set(paths).size).toBe(paths.length);
          for (const m of c.volumeMounts ?? []) expect(volumes).toContain(m.name);
        }
      }),
      { numRuns: 150 },
    );
  });

  test('rendering is deterministic and leaves the props untouched', () => {
    fc.assert(
      fc.property(validProps(), ({ props }) => {
        const before = JSON.stringify(props);
        const first = render(props).objects;
        expect(render(props).objects).toEqual(first);
        expect(JSON.stringify(props)).toBe(before);
        // Rendered objects are plain data: a JSON round trip changes nothing.
        expect(JSON.parse(JSON.stringify(first))).toEqual(first);
      }),
      { numRuns: 60 },
    );
  });
});
