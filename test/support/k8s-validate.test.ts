import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fs from 'fs';
import * as path from 'path';
import * as fixtures from './k8s-fixtures';
import { foldModelErrors, pointerToPath } from './k8s-models-check';
import { assertValidK8sObjects, registerCrd, registerSchema, validateK8sObject, validateK8sObjects, type SchemaProblem } from './k8s-validate';

const POD = 'spec.template.spec';
const C0 = `${POD}.containers[0]`;

/** Problems of `obj` after `mutate` broke it. */
function problemsAfter<T>(make: () => T, mutate: (obj: T) => void): SchemaProblem[] {
  const obj = make();
  mutate(obj);
  return validateK8sObject(obj);
}

function expectOnly(problems: SchemaProblem[], path: string, message: string | RegExp): void {
  expect(problems).toEqual([{ path, message: typeof message === 'string' ? expect.stringContaining(message) : expect.stringMatching(message) }]);
}

function expectProblem(problems: SchemaProblem[], path: string, message: string | RegExp): void {
  expect(problems).toContainEqual({ path, message: typeof message === 'string' ? expect.stringContaining(message) : expect.stringMatching(message) });
}

describe('valid objects', () => {
  test.each([
    ['Deployment', fixtures.deployment],
    ['Service', fixtures.service],
    ['NetworkPolicy', fixtures.networkPolicy],
    ['PodDisruptionBudget', fixtures.podDisruptionBudget],
    ['ConfigMap', fixtures.configMap],
    ['ServiceAccount', fixtures.serviceAccount],
    ['StatefulSet', fixtures.statefulSet],
    ['Job', fixtures.job],
  ])('%s passes', (_kind, make) => {
    expect(validateK8sObject(make())).toEqual([]);
  });

  test.each(fixtures.otherKinds().map((o) => [o.kind, o]))('%s passes', (_kind, obj) => {
    expect(validateK8sObject(obj)).toEqual([]);
  });

  test('the whole set passes, including cross-object checks', () => {
    const all = [fixtures.deployment(), fixtures.service(), fixtures.networkPolicy(), fixtures.podDisruptionBudget(), fixtures.configMap(), fixtures.serviceAccount(), fixtures.statefulSet(), fixtures.job(), ...fixtures.otherKinds()];
    expect(() => assertValidK8sObjects(all)).not.toThrow();
    expect(validateK8sObjects(all).every((r) => r.problems.length === 0)).toBe(true);
  });

  test('explicit nulls are treated as unset, as the API server does', () => {
    expect(problemsAfter(fixtures.deployment, (d) => { d.spec.replicas = null; })).toEqual([]);
  });

  test('what cdk8s-plus-28 synthesizes is valid (guards against false positives)', () => {
    const chart = new Chart(new App(), 'c', { namespace: 'serving' });
    const cm = new kplus.ConfigMap(chart, 'cm', { data: { 'a.txt': 'x' } });
    const dep = new kplus.Deployment(chart, 'dep', {
      containers: [{
        image: 'nginx:1.25',
        portNumber: 8080,
        ports: [{ number: 9090, name: 'metrics' }],
        envVariables: { FOO: kplus.EnvValue.fromValue('bar') },
        readiness: kplus.Probe.fromHttpGet('/health', { port: 8080 }),
        resources: { cpu: { request: kplus.Cpu.millis(500), limit: kplus.Cpu.units(1) }, memory: { request: Size.gibibytes(1), limit: Size.gibibytes(2) } },
        volumeMounts: [{ path: '/etc/cfg', volume: kplus.Volume.fromConfigMap(chart, 'v', cm) }],
      }],
    });
    dep.exposeViaService({ ports: [{ port: 80, targetPort: 8080 }] });
    new kplus.Job(chart, 'job', { containers: [{ image: 'busybox', command: ['true'] }] });
    new kplus.StatefulSet(chart, 'ss', { containers: [{ image: 'redis', portNumber: 6379 }] });
    new kplus.NetworkPolicy(chart, 'np', { selector: dep, ingress: { rules: [{ peer: kplus.Pods.all(chart, 'all-pods'), ports: [kplus.NetworkPolicyPort.tcp(8080)] }] } });
    new kplus.Namespace(chart, 'ns');
    const objs = chart.toJson();
    expect(objs.length).toBeGreaterThanOrEqual(8);
    expect(() => assertValidK8sObjects(objs)).not.toThrow();
  });
});

describe('unknown fields are rejected at every depth', () => {
  test('top level of spec', () => {
    expectOnly(problemsAfter(fixtures.deployment, (d) => { d.spec.replicass = 3; }), 'spec.replicass', 'unknown field "replicass"');
  });

  test('inside a container', () => {
    expectOnly(problemsAfter(fixtures.deployment, (d) => { d.spec.template.spec.containers[0].ports[1].containerport = 1; }), `${C0}.ports[1].containerport`, 'unknown field "containerport"');
  });

  test('in metadata and in selectors', () => {
    const problems = problemsAfter(fixtures.podDisruptionBudget, (p) => { p.metadata.label = {}; p.spec.selector.matchLabel = {}; });
    expectProblem(problems, 'metadata.label', 'unknown field');
    expectProblem(problems, 'spec.selector.matchLabel', 'unknown field');
    expect(problems).toHaveLength(2);
  });

  test('Container stopSignal (newer than 1.32) is simply unknown', () => {
    expectOnly(problemsAfter(fixtures.deployment, (d) => { d.spec.template.spec.containers[1].stopSignal = 'SIGTERM'; }), `${POD}.containers[1].stopSignal`, 'unknown field');
  });

  test('status is called out as server-owned', () => {
    expectOnly(problemsAfter(fixtures.deployment, (d) => { d.status = { replicas: 1 }; }), 'status', 'must not set it');
  });
});

describe('fields newer than Kubernetes 1.28', () => {
  test('PodSpec.resources (pod-level resources)', () => {
    expectOnly(problemsAfter(fixtures.deployment, (d) => { d.spec.template.spec.resources = { limits: { cpu: '1' } }; }), `${POD}.resources`, 'field "resources" is not in Kubernetes 1.28');
  });

  test('lifecycle sleep handler', () => {
    const problems = problemsAfter(fixtures.deployment, (d) => { d.spec.template.spec.containers[0].lifecycle = { preStop: { sleep: { seconds: 5 } } }; });
    expectProblem(problems, `${C0}.lifecycle.preStop.sleep`, 'field "sleep" is not in Kubernetes 1.28');
  });

  test('Service trafficDistribution and PVC volumeAttributesClassName', () => {
    expectOnly(problemsAfter(fixtures.service, (s) => { s.spec.trafficDistribution = 'PreferClose'; }), 'spec.trafficDistribution', 'not in Kubernetes 1.28');
    const pvc = fixtures.otherKinds().find((o) => o.kind === 'PersistentVolumeClaim');
    pvc.spec.volumeAttributesClassName = 'fast';
    expectOnly(validateK8sObject(pvc), 'spec.volumeAttributesClassName', 'not in Kubernetes 1.28');
  });

  // Spot checks of the generated 1.28 markers against the Kubernetes changelog.
  const compact = JSON.parse(fs.readFileSync(path.join(__dirname, 'k8s-schema.json'), 'utf8')) as { definitions: Record<string, { properties: Record<string, Record<string, unknown>> }> };
  test.each([
    ['core.v1.PodSpec', 'resources', true], // 1.32
    ['core.v1.LifecycleHandler', 'sleep', true], // 1.29
    ['core.v1.ServiceSpec', 'trafficDistribution', true], // 1.30
    ['core.v1.VolumeMount', 'recursiveReadOnly', true], // 1.30
    ['core.v1.PodAffinityTerm', 'matchLabelKeys', true], // 1.29
    ['batch.v1.JobSpec', 'managedBy', true], // 1.30
    ['core.v1.Container', 'restartPolicy', false], // 1.28 (sidecars, alpha)
    ['batch.v1.JobSpec', 'podReplacementPolicy', false], // 1.28
    ['batch.v1.JobSpec', 'backoffLimitPerIndex', false], // 1.28
    ['core.v1.Container', 'resizePolicy', false], // 1.27
    ['core.v1.PodSpec', 'schedulingGates', false], // 1.26
  ])('io.k8s.api.%s#%s newer than 1.28: %p', (def, prop, newer) => {
    const node = compact.definitions[`io.k8s.api.${def}`]!.properties[prop]!;
    expect(node['x-not-in-1.28'] === true).toBe(newer);
  });

  test('the compact schema stays compact (no descriptions, well under 100 kB)', () => {
    const text = fs.readFileSync(path.join(__dirname, 'k8s-schema.json'), 'utf8');
    expect(text).not.toMatch(/"description":\s*"/); // PriorityClass has a *field* called description; doc strings are gone
    expect(text.length).toBeLessThan(100_000);
  });

  test('1.28 fields still pass (Container.restartPolicy on a sidecar init container)', () => {
    expect(problemsAfter(fixtures.deployment, (d) => {
      d.spec.template.spec.initContainers = [{ name: 'proxy-init', image: 'envoy:1', restartPolicy: 'Always' }];
    })).toEqual([]);
  });
});

describe('types, formats, enums and required fields', () => {
  test('missing required containers', () => {
    expectOnly(problemsAfter(fixtures.deployment, (d) => { delete d.spec.template.spec.containers; }), `${POD}.containers`, 'required field is missing');
  });

  test('empty containers list', () => {
    expectProblem(problemsAfter(fixtures.deployment, (d) => { d.spec.template.spec.containers = []; }), `${POD}.containers`, 'at least one container');
  });

  test('wrong scalar types', () => {
    const problems = problemsAfter(fixtures.deployment, (d) => {
      d.spec.replicas = '3';
      d.spec.template.metadata.labels.version = 2;
      d.spec.template.spec.containers[0].securityContext.runAsNonRoot = 'true';
    });
    expectProblem(problems, 'spec.replicas', 'must be an integer, got string "3"');
    expectProblem(problems, 'spec.template.metadata.labels.version', 'must be a string, got integer 2');
    expectProblem(problems, `${C0}.securityContext.runAsNonRoot`, 'must be a boolean');
  });

  test('object where an array belongs', () => {
    expectProblem(problemsAfter(fixtures.deployment, (d) => { d.spec.template.spec.containers[0].args = '--port 8000'; }), `${C0}.args`, 'must be an array');
  });

  test('int32 overflow', () => {
    expectProblem(problemsAfter(fixtures.deployment, (d) => { d.spec.replicas = 2 ** 31; }), 'spec.replicas', '32-bit');
  });

  test('enum', () => {
    expectOnly(problemsAfter(fixtures.deployment, (d) => { d.spec.template.spec.containers[0].imagePullPolicy = 'Sometimes'; }), `${C0}.imagePullPolicy`, 'unsupported value "Sometimes"');
  });

  test('quantity format', () => {
    expectOnly(problemsAfter(fixtures.deployment, (d) => { d.spec.template.spec.containers[0].resources.requests.cpu = '2 cores'; }), `${C0}.resources.requests.cpu`, 'invalid quantity');
  });

  test.each(['500m', '1.5Gi', '1e3', '.5', 2, 0.25])('quantity %p is accepted', (q) => {
    expect(problemsAfter(fixtures.deployment, (d) => { d.spec.template.spec.containers[1].resources.requests.cpu = q; })).toEqual([]);
  });

  test.each(['1GB', '1 Gi', 'one', '', '1Kib'])('quantity %p is rejected', (q) => {
    expectProblem(problemsAfter(fixtures.deployment, (d) => { d.spec.template.spec.containers[1].resources.requests.memory = q; }), `${POD}.containers[1].resources.requests.memory`, 'invalid quantity');
  });

  test('int-or-string: wrong type, and rollout budgets must be integers or percentages', () => {
    const problems = problemsAfter(fixtures.deployment, (d) => {
      d.spec.strategy.rollingUpdate.maxSurge = '25';
      d.spec.template.spec.containers[0].livenessProbe.tcpSocket.port = true;
    });
    expectProblem(problems, 'spec.strategy.rollingUpdate.maxSurge', 'percentage');
    expectProblem(problems, `${C0}.livenessProbe.tcpSocket.port`, 'must be an integer or a string');
  });

  test('base64 Secret data', () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { token: 'not base64!' } };
    expectOnly(validateK8sObject(secret), 'data.token', 'base64');
  });
});

describe('names and keys', () => {
  test('bad object name', () => {
    expectOnly(problemsAfter(fixtures.configMap, (c) => { c.metadata.name = 'Bad_Name!'; }), 'metadata.name', 'RFC 1123 subdomain');
  });

  test('Service names are DNS-1035 labels (must start with a letter)', () => {
    expectOnly(problemsAfter(fixtures.service, (s) => { s.metadata.name = '1-llm'; }), 'metadata.name', 'DNS-1035');
    expect(problemsAfter(fixtures.configMap, (c) => { c.metadata.name = '1-llm.config'; })).toEqual([]);
  });

  test('Namespace names are DNS-1123 labels (no dots, at most 63)', () => {
    const ns = (name: string): SchemaProblem[] => validateK8sObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    expectProblem(ns('a.b'), 'metadata.name', 'RFC 1123 label');
    expectProblem(ns('a'.repeat(64)), 'metadata.name', 'no more than 63');
    expect(ns('a'.repeat(63))).toEqual([]);
  });

  test('missing metadata.name', () => {
    expectOnly(problemsAfter(fixtures.configMap, (c) => { delete c.metadata.name; }), 'metadata.name', 'required');
  });

  test('label keys and values, in metadata and in selectors', () => {
    const problems = problemsAfter(fixtures.deployment, (d) => {
      d.metadata.labels['bad key'] = 'x';
      d.metadata.labels['ok-key'] = 'bad value!';
      d.spec.selector.matchLabels['-dash'] = 'x';
      d.spec.template.metadata.labels['-dash'] = 'x';
    });
    expectProblem(problems, 'metadata.labels["bad key"]', 'invalid label key');
    expectProblem(problems, 'metadata.labels["ok-key"]', 'invalid label value');
    expectProblem(problems, 'spec.selector.matchLabels["-dash"]', 'invalid label key');
  });

  test('selector expression operators and values', () => {
    const problems = problemsAfter(fixtures.networkPolicy, (n) => {
      n.spec.podSelector.matchExpressions = [{ key: 'tier', operator: 'In', values: [] }, { key: 'x', operator: 'Exists', values: ['a'] }];
    });
    expectProblem(problems, 'spec.podSelector.matchExpressions[0].values', 'must be specified');
    expectProblem(problems, 'spec.podSelector.matchExpressions[1].values', 'may not be specified');
  });

  test('container names are DNS-1123 labels', () => {
    expectOnly(problemsAfter(fixtures.deployment, (d) => { d.spec.template.spec.containers[1].name = 'Sidecar'; }), `${POD}.containers[1].name`, 'invalid container name');
  });

  test('port name of 16 characters', () => {
    const problems = problemsAfter(fixtures.deployment, (d) => { d.spec.template.spec.containers[1].ports[0].name = 'a'.repeat(16); });
    expectOnly(problems, `${POD}.containers[1].ports[0].name`, 'no more than 15 characters');
  });

  test.each([
    ['HTTP', 'lowercase'],
    ['8080', 'at least one letter'],
    ['grpc--web', 'consecutive hyphens'],
    ['-grpc', 'begin or end with a hyphen'],
    ['grpc_web', 'lowercase alphanumeric'],
  ])('port name %p is rejected (%s)', (name, why) => {
    expectProblem(problemsAfter(fixtures.deployment, (d) => { d.spec.template.spec.containers[1].ports[0].name = name; }), `${POD}.containers[1].ports[0].name`, why);
  });

  test('volume names are DNS-1123 labels', () => {
    const problems = problemsAfter(fixtures.deployment, (d) => {
      d.spec.template.spec.volumes[0].name = 'Cache_Vol';
      d.spec.template.spec.containers[0].volumeMounts[0].name = 'Cache_Vol';
    });
    expectOnly(problems, `${POD}.volumes[0].name`, 'invalid volume name');
  });

  test('env var names', () => {
    expectOnly(problemsAfter(fixtures.deployment, (d) => { d.spec.template.spec.containers[0].env[0].name = '1BAD'; }), `${C0}.env[0].name`, 'invalid env var name');
    expectProblem(problemsAfter(fixtures.deployment, (d) => { d.spec.template.spec.containers[0].env[0].name = '..x'; }), `${C0}.env[0].name`, "must not start with '..'");
    expect(problemsAfter(fixtures.deployment, (d) => { d.spec.template.spec.containers[0].env[0].name = 'my.env-name_1'; })).toEqual([]);
  });

  test('ConfigMap data keys', () => {
    const problems = problemsAfter(fixtures.configMap, (c) => { c.data['bad key!'] = 'x'; c.data['k'.repeat(254)] = 'x'; });
    expectProblem(problems, 'data["bad key!"]', 'invalid key');
    expectProblem(problems, `data.${'k'.repeat(254)}`, 'no more than 253');
    expect(problems).toHaveLength(2);
  });

  test('ConfigMap key in both data and binaryData', () => {
    expectOnly(problemsAfter(fixtures.configMap, (c) => { c.binaryData.MAX_TOKENS = 'AAEC'; }), 'binaryData.MAX_TOKENS', 'duplicate of key');
  });
});

describe('ports', () => {
  test('port numbers must be 1..65535', () => {
    const problems = problemsAfter(fixtures.deployment, (d) => { d.spec.template.spec.containers[0].ports[1].containerPort = 70000; });
    expectOnly(problems, `${C0}.ports[1].containerPort`, 'between 1 and 65535');
    expectProblem(problemsAfter(fixtures.service, (s) => { s.spec.ports[0].port = 0; }), 'spec.ports[0].port', 'between 1 and 65535');
  });

  test('duplicate container port names within a pod (across containers)', () => {
    const problems = problemsAfter(fixtures.deployment, (d) => { d.spec.template.spec.containers[1].ports[0].name = 'metrics'; });
    expectOnly(problems, `${POD}.containers[1].ports[0].name`, 'duplicate port name "metrics"');
  });

  test('duplicate containerPort/protocol in one container (server-side apply list key)', () => {
    const problems = problemsAfter(fixtures.deployment, (d) => { d.spec.template.spec.containers[0].ports[1].containerPort = 8000; });
    expectOnly(problems, `${C0}.ports[1]`, 'duplicate entry containerPort=8000, protocol="TCP"');
  });

  test('probe referencing a named port the container does not have', () => {
    const problems = problemsAfter(fixtures.deployment, (d) => { d.spec.template.spec.containers[0].readinessProbe.httpGet.port = 'web'; });
    expectOnly(problems, `${C0}.readinessProbe.httpGet.port`, 'port "web" is not a named port of container "server"');
  });

  test('a port name of another container does not count for a probe', () => {
    const problems = problemsAfter(fixtures.deployment, (d) => { d.spec.template.spec.containers[0].livenessProbe.tcpSocket.port = 'proxy'; });
    expectOnly(problems, `${C0}.livenessProbe.tcpSocket.port`, 'not a named port');
  });

  test('duplicate Service port names and numbers', () => {
    const names = problemsAfter(fixtures.service, (s) => { s.spec.ports[1].name = 'http'; });
    expectOnly(names, 'spec.ports[1].name', 'duplicate port name "http"');
    // protocol defaults to TCP, so these collide even though only one spells it out
    const numbers = problemsAfter(fixtures.service, (s) => { s.spec.ports[1].port = 80; });
    expectOnly(numbers, 'spec.ports[1]', 'duplicate entry port=80, protocol="TCP"');
  });

  test('multi-port Services need port names', () => {
    expectOnly(problemsAfter(fixtures.service, (s) => { delete s.spec.ports[1].name; }), 'spec.ports[1].name', 'required when a Service has more than one port');
  });

  test('Service targetPort names must exist in the selected pods', () => {
    const svc = fixtures.service();
    svc.spec.ports[0].targetPort = 'web';
    const results = validateK8sObjects([fixtures.deployment(), svc]);
    expect(results[0]!.problems).toEqual([]);
    expectOnly(results[1]!.problems, 'spec.ports[0].targetPort', 'named port "web" is not declared by any container of Deployment/llm-predictor');
  });

  test('workloads in other namespaces are not considered', () => {
    const svc = fixtures.service();
    svc.spec.ports[0].targetPort = 'web';
    svc.metadata.namespace = 'elsewhere';
    expect(validateK8sObjects([fixtures.deployment(), svc])[1]!.problems).toEqual([]);
  });

  test('NetworkPolicy port names and ranges', () => {
    const problems = problemsAfter(fixtures.networkPolicy, (n) => { n.spec.ingress[0].ports[0].port = 'HTTP'; n.spec.ingress[0].ports[1].endPort = 8000; });
    expectProblem(problems, 'spec.ingress[0].ports[0].port', 'invalid port name');
    expectProblem(problems, 'spec.ingress[0].ports[1].endPort', 'greater than or equal to `port`');
  });
});

describe('pod structure', () => {
  test('selector must match template labels', () => {
    const problems = problemsAfter(fixtures.deployment, (d) => { d.spec.template.metadata.labels['app.kubernetes.io/name'] = 'other'; });
    expectOnly(problems, 'spec.template.metadata.labels', '`selector` does not match template `labels`');
  });

  test('matchExpressions take part in the selector match', () => {
    const problems = problemsAfter(fixtures.deployment, (d) => {
      d.spec.selector.matchExpressions = [{ key: 'version', operator: 'NotIn', values: ['v1'] }];
    });
    expectOnly(problems, 'spec.template.metadata.labels', 'does not match');
  });

  test('StatefulSet selector mismatch too', () => {
    expectProblem(problemsAfter(fixtures.statefulSet, (s) => { s.spec.selector.matchLabels.extra = 'x'; }), 'spec.template.metadata.labels', 'does not match');
  });

  test('duplicate volume names', () => {
    const problems = problemsAfter(fixtures.deployment, (d) => { d.spec.template.spec.volumes[1].name = 'cache'; });
    expectProblem(problems, `${POD}.volumes[1]`, 'duplicate entry name="cache"');
  });

  test('volumeMounts must refer to a volume', () => {
    const problems = problemsAfter(fixtures.deployment, (d) => { d.spec.template.spec.containers[0].volumeMounts[1].name = 'settings'; });
    expectOnly(problems, `${C0}.volumeMounts[1].name`, 'no volume named "settings"');
  });

  test('StatefulSet volumeClaimTemplates count as volumes', () => {
    expect(validateK8sObject(fixtures.statefulSet())).toEqual([]);
    expectOnly(problemsAfter(fixtures.statefulSet, (s) => { s.spec.volumeClaimTemplates[0].metadata.name = 'storage'; }), `${POD}.containers[0].volumeMounts[0].name`, 'no volume named "data"');
  });

  test('a volume needs exactly one source', () => {
    expectOnly(problemsAfter(fixtures.deployment, (d) => { d.spec.template.spec.volumes[0].configMap = { name: 'x' }; }), `${POD}.volumes[0]`, 'may not specify more than 1 volume type');
    expectOnly(problemsAfter(fixtures.deployment, (d) => { delete d.spec.template.spec.volumes[0].emptyDir; }), `${POD}.volumes[0]`, 'must specify a volume type');
  });

  test('duplicate container names across init and regular containers', () => {
    const problems = problemsAfter(fixtures.deployment, (d) => { d.spec.template.spec.initContainers = [{ name: 'server', image: 'busybox' }]; });
    expectOnly(problems, `${C0}.name`, 'duplicate container name "server"');
  });

  test('probe needs exactly one handler, liveness successThreshold must be 1', () => {
    const problems = problemsAfter(fixtures.deployment, (d) => {
      d.spec.template.spec.containers[0].readinessProbe.exec = { command: ['true'] };
      d.spec.template.spec.containers[0].livenessProbe.successThreshold = 2;
    });
    expectProblem(problems, `${C0}.readinessProbe`, 'may not specify more than 1 handler type');
    expectProblem(problems, `${C0}.livenessProbe.successThreshold`, 'must be 1');
  });

  test('container image is required', () => {
    expectOnly(problemsAfter(fixtures.deployment, (d) => { delete d.spec.template.spec.containers[1].image; }), `${POD}.containers[1].image`, 'image is required');
  });

  test('restartPolicy must suit the controller', () => {
    expectOnly(problemsAfter(fixtures.deployment, (d) => { d.spec.template.spec.restartPolicy = 'Never'; }), `${POD}.restartPolicy`, 'supported values: "Always"');
    expectOnly(problemsAfter(fixtures.job, (j) => { delete j.spec.template.spec.restartPolicy; }), `${POD}.restartPolicy`, 'required for Jobs');
  });

  test('Job names become label values, so at most 63 characters', () => {
    expectOnly(problemsAfter(fixtures.job, (j) => { j.metadata.name = 'j'.repeat(64); }), 'metadata.name', '63');
  });

  test('env value and valueFrom are exclusive', () => {
    const problems = problemsAfter(fixtures.deployment, (d) => { d.spec.template.spec.containers[0].env[1].value = 'x'; });
    expectOnly(problems, `${C0}.env[1].valueFrom`, 'may not be specified when `value` is not empty');
  });

  test('GPU requests must equal limits; requests may not exceed limits', () => {
    const problems = problemsAfter(fixtures.deployment, (d) => {
      d.spec.template.spec.containers[0].resources.requests['nvidia.com/gpu'] = 2;
      d.spec.template.spec.containers[0].resources.requests.memory = '9Gi';
    });
    expectProblem(problems, `${C0}.resources.requests["nvidia.com/gpu"]`, 'must be equal to nvidia.com/gpu limit');
    expectProblem(problems, `${C0}.resources.requests.memory`, 'must be less than or equal to memory limit of 8Gi');
  });

  test('HPA metric targets must carry the value their type names', () => {
    const hpa = fixtures.otherKinds().find((o) => o.kind === 'HorizontalPodAutoscaler');
    hpa.spec.metrics[0].resource.target = { type: 'AverageValue', averageUtilization: 70 };
    expectOnly(validateK8sObject(hpa), 'spec.metrics[0].resource.target.averageValue', 'must be set for target type AverageValue');
  });

  test('PDB may not set both minAvailable and maxUnavailable', () => {
    expectOnly(problemsAfter(fixtures.podDisruptionBudget, (p) => { p.spec.minAvailable = '50%'; }), 'spec', 'cannot be both set');
  });
});

describe('unknown kinds and custom resources', () => {
  test.each([null, 'apiVersion: v1', [], 42])('non-object %p is a problem, not a crash', (value) => {
    expectOnly(validateK8sObject(value), '', 'must be a Kubernetes object');
  });

  test('missing apiVersion and kind', () => {
    const problems = validateK8sObject({ metadata: { name: 'x' } });
    expect(problems.map((p) => p.path).sort()).toEqual(['apiVersion', 'kind']);
  });

  test('unknown built-in kind / wrong apiVersion', () => {
    expectOnly(validateK8sObject({ apiVersion: 'v1', kind: 'Deployment', metadata: { name: 'x' } }), '', 'Deployment is served as apps/v1');
    expectOnly(validateK8sObject({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'x' } }), '', 'not one of the built-in kinds');
  });

  test.each(['monitoring.coreos.com/v1', 'keda.sh/v1alpha1', 'gateway.networking.k8s.io/v1'])('custom resource %s has no schema yet', (apiVersion) => {
    expectOnly(validateK8sObject({ apiVersion, kind: 'Thing', metadata: { name: 'x' } }), '', `no schema for ${apiVersion} Thing: custom resource`);
  });

  test('registerSchema plugs in a CRD schema (unknown fields, types, int-or-string, preserve-unknown-fields)', () => {
    const unregister = registerSchema('keda.sh/v1alpha1', 'ScaledObject', {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          required: ['scaleTargetRef'],
          properties: {
            scaleTargetRef: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
            minReplicaCount: { type: 'integer', format: 'int32', minimum: 0 },
            pollingInterval: { 'x-kubernetes-int-or-string': true },
            advanced: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
          },
        },
      },
    });
    try {
      const ok = { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'llm', labels: { a: 'b' } }, spec: { scaleTargetRef: { name: 'llm' }, pollingInterval: 30, advanced: { anything: { goes: 1 } } } };
      expect(validateK8sObject(ok)).toEqual([]);
      const bad = { ...ok, metadata: { name: 'Bad_Name' }, spec: { scaleTargetRef: {}, minReplicaCount: -1, cooldown: 5 } };
      const problems = validateK8sObject(bad);
      expectProblem(problems, 'spec.scaleTargetRef.name', 'required');
      expectProblem(problems, 'spec.minReplicaCount', 'greater than or equal to 0');
      expectProblem(problems, 'spec.cooldown', 'unknown field');
      expectProblem(problems, 'metadata.name', 'RFC 1123 subdomain');
    } finally {
      unregister();
    }
    expectOnly(validateK8sObject({ apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'x' } }), '', 'no schema');
  });

  test('registerCrd registers every version of a CRD object', () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com', scope: 'Namespaced', names: { kind: 'Widget', plural: 'widgets' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'string', enum: ['S', 'M'] } } } } } } }],
      },
    };
    const unregister = registerCrd(crd);
    try {
      expect(validateK8sObject({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 'S' } })).toEqual([]);
      expectOnly(validateK8sObject({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 'XL' } }), 'spec.size', 'unsupported value "XL"');
    } finally {
      unregister();
    }
  });
});

describe('kubernetes-models is folded in', () => {
  test('its findings on paths we did not report are added with a prefix', () => {
    // Our schema only requires what 1.28 and 1.32 agree on; kubernetes-models requires hostAliases[].ip.
    const problems = problemsAfter(fixtures.deployment, (d) => { d.spec.template.spec.hostAliases = [{ hostnames: ['a.local'] }]; });
    expectOnly(problems, `${POD}.hostAliases[0]`, /^kubernetes-models: .*ip/);
  });

  test('findings at, above or below paths we reported are dropped', () => {
    const root = { spec: { containers: [{ ports: [{}] }] } };
    const own = [{ path: 'spec.containers[0].ports[0].containerPort', message: 'required field is missing' }];
    const folded = foldModelErrors([
      { instancePath: '/spec/containers/0/ports/0', message: "must have required property 'containerPort'" },
      { instancePath: '/spec/containers/0', message: 'other' },
      { instancePath: '/spec/replicas', message: 'must be integer' },
    ], root, own);
    expect(folded).toEqual([{ path: 'spec.replicas', message: 'kubernetes-models: must be integer' }]);
  });

  test('JSON pointers become our paths, escaping map keys', () => {
    const root = { metadata: { labels: { 'a/b': 'x' } }, items: [{ '0': 1 }] };
    expect(pointerToPath('/metadata/labels/a~1b', root)).toBe('metadata.labels["a/b"]');
    expect(pointerToPath('/items/0/0', root)).toBe('items[0]["0"]');
  });
});

describe('assertValidK8sObjects', () => {
  test('throws listing every problem with a kind/name prefix', () => {
    const dep = fixtures.deployment();
    dep.metadata.name = 'bad-app';
    dep.spec.replicass = 1;
    dep.spec.template.spec.containers[0].ports[0].name = 'x'.repeat(16);
    const svc = fixtures.service();
    svc.spec.ports[1].port = 0;
    let message = '';
    try {
      assertValidK8sObjects([dep, svc, fixtures.configMap()]);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('in 2 of 3 object(s)');
    expect(message).toContain('Deployment serving/bad-app: spec.replicass: unknown field "replicass"');
    expect(message).toContain(`Deployment serving/bad-app: ${C0}.ports[0].name: invalid port name`);
    expect(message).toContain('Service serving/llm-predictor: spec.ports[1].port: must be between 1 and 65535');
    expect(message).not.toContain('ConfigMap');
  });
});
