/**
 * What every service gets without asking, for each runtime: Pod Security "restricted" with a
 * read-only root, no service-account token, zero-downtime rollouts, a PDB, and a NetworkPolicy
 * that admits only inference (and metrics from monitoring). Not `@default` props: fixed contract.
 */
import { PortRole, type Container } from '../../../lib/core';
import { checkObjectPodSecurity } from '../../../lib/core/policy';
import { expectValidObjects, MINIMAL_PROPS, podSpecOf, render, RUNTIME_KINDS, servicePortsOf } from '../../support/fixtures';

const RESTRICTED = (uid: number) => ({
  allowPrivilegeEscalation: false,
  privileged: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  runAsUser: uid,
  runAsGroup: uid,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
});

describe.each(RUNTIME_KINDS)('%s with minimal props', (kind) => {
  const rendered = render(MINIMAL_PROPS[kind]());
  const pod = podSpecOf(rendered);
  const containers: Container[] = [...(pod.initContainers ?? []), ...pod.containers];

  test('passes Pod Security restricted and the strict 1.28 schema', () => {
    for (const o of rendered.objects) expect(checkObjectPodSecurity(o)).toEqual([]);
    expectValidObjects(rendered.objects);
  });

  test('every container runs restricted with a read-only root filesystem, as the image\'s non-root user', () => {
    expect(containers.length).toBeGreaterThan(0);
    for (const c of containers) expect(c.securityContext).toEqual(RESTRICTED(1000));
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } });
  });

  test('each path the runtime writes is an emptyDir, since the root is read-only', () => {
    const server = pod.containers[0]!;
    for (const w of rendered.profile.writablePaths) {
      const mount = server.volumeMounts!.find((m) => m.mountPath === w.path);
      expect(mount).toBeDefined();
      expect(mount!.readOnly).toBeUndefined();
      expect(pod.volumes!.find((v) => v.name === mount!.name)!.emptyDir).toBeDefined();
    }
  });

  test('the model and config are mounted read-only into the server', () => {
    for (const m of pod.containers[0]!.volumeMounts!.filter((m) => m.name === 'model' || m.name === 'config')) expect(m.readOnly).toBe(true);
  });

  test('no service-account token, on the pod and on the ServiceAccount; no service links', () => {
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(rendered.serviceAccount['automountServiceAccountToken']).toBe(false);
    expect(pod.serviceAccountName).toBe(rendered.serviceAccount.metadata.name);
    expect(pod.enableServiceLinks).toBe(false);
  });

  test('rolling updates never take a ready pod away first, and the PDB lets one go at a time', () => {
    expect(rendered.deployment['spec']).toMatchObject({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } });
    expect(rendered.podDisruptionBudget['spec']).toEqual({ maxUnavailable: 1, selector: { matchLabels: rendered.selector }, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
  });

  test('readiness is gated on the model: a readiness and a startup probe on the HTTP inference port', () => {
    const server = pod.containers[0]!;
    const http = rendered.profile.ports.find((p) => p.role === PortRole.HTTP)!.name;
    expect(server.readinessProbe!.httpGet?.port).toBe(http);
    expect(server.startupProbe!.httpGet?.port).toBe(http);
  });

  test('the preStop drain is shorter than the grace period', () => {
    const server = pod.containers[0]!;
    expect(server.lifecycle!.preStop!.exec.command).toEqual(['sleep', '15']);
    expect(Number(server.lifecycle!.preStop!.exec.command[1])).toBeLessThan(pod.terminationGracePeriodSeconds);
  });

  test('the NetworkPolicy admits only inference ports from clients and the metrics port from monitoring', () => {
    const spec = rendered.networkPolicy['spec'] as { policyTypes: string[]; ingress: { from?: unknown[]; ports: { port: string }[] }[] };
    expect(spec.policyTypes).toEqual(['Ingress']);
    const inference = rendered.profile.ports.filter((p) => p.role === PortRole.HTTP || p.role === PortRole.GRPC).map((p) => p.name);
    expect(spec.ingress[0]!.ports.map((p) => p.port)).toEqual(inference);
    for (const rule of spec.ingress.slice(1)) {
      expect(rule.from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }]);
      expect(rule.ports.map((p) => p.port)).toEqual([rendered.profile.metrics!.port]);
    }
  });

  test('admin ports are never in the Service', () => {
    const admin = rendered.profile.ports.filter((p) => p.role === PortRole.ADMIN).map((p) => p.name);
    for (const p of servicePortsOf(rendered)) expect(admin).not.toContain(p.name);
  });

  test('images are pinned: a version tag other than latest, or a digest', () => {
    for (const c of containers) expect(c.image).toMatch(/(:(?!latest$)[\w][\w.-]*|@sha256:[0-9a-f]{64})$/);
  });
});

test('TorchServe keeps its management API on loopback and the model API off', () => {
  const rendered = render(MINIMAL_PROPS.torchserve());
  const config = (rendered.configMap!['data'] as Record<string, string>)['config.properties']!;
  expect(config).toContain('management_address=http://127.0.0.1:8081\n');
  expect(config).toContain('grpc_management_address=127.0.0.1\n');
  expect(config).toContain('enable_model_api=false\n');
  expect(rendered.profile.ports.map((p) => p.port)).not.toContain(8081);
});
