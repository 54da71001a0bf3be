import fc from 'fast-check';
import {
  checkObjectPodSecurity,
  checkPodSecurityBaseline,
  checkPodSecurityRestricted,
  FORBIDDEN_VOLUME_SOURCES,
  podSpecOf,
  type ContainerLike,
  type PodLike,
  type PodSecurityContextLike,
  type PodSecurityViolation,
  type PodSpecLike,
  type SecurityContextLike,
} from '../../../lib/core/policy';

// The restricted settings of upstream test/testdata/restricted/v1.28/pass/base.yaml.
const BASE_POD_SC: PodSecurityContextLike = { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } };
const BASE_SC: SecurityContextLike = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };

/** A container with the base settings, `sc` merged over them (an `undefined` value unsets). */
function container(sc: SecurityContextLike = {}, extra: ContainerLike = {}, name = 'container1'): ContainerLike {
  return { name, image: 'registry.k8s.io/pause', ...extra, securityContext: { ...BASE_SC, ...sc } };
}

/** The base pod, with `spec` and pod-level `podSc` merged over it. */
function pod(spec: PodSpecLike = {}, podSc: PodSecurityContextLike = {}, annotations?: Record<string, string>): PodLike {
  return {
    metadata: { name: 'test', ...(annotations ? { annotations } : {}) },
    spec: { securityContext: { ...BASE_POD_SC, ...podSc }, containers: [container()], ...spec },
  };
}

const C0 = 'spec.containers[0]';
const found = (violations: PodSecurityViolation[]): { check: string; path: string }[] => violations.map(({ check, path }) => ({ check, path }));
const restricted = (p: PodLike, version?: string) => found(checkPodSecurityRestricted(p, version === undefined ? {} : { version }));
const baseline = (p: PodLike, version?: string) => found(checkPodSecurityBaseline(p, version === undefined ? {} : { version }));
const VERSIONS = ['1.28', '1.29', '1.30', '1.31', '1.32', '1.33', '1.34', '1.35', '1.36', '1.37', 'latest'];

describe('base pod', () => {
  test.each(VERSIONS)('passes restricted and baseline at %s', (version) => {
    expect(checkPodSecurityRestricted(pod(), { version })).toEqual([]);
    expect(checkPodSecurityBaseline(pod(), { version })).toEqual([]);
  });

  test('readOnlyRootFilesystem is not part of the standard', () => {
    expect(restricted(pod({ containers: [container({ readOnlyRootFilesystem: false })] }))).toEqual([]);
  });

  test('the same settings are required on init and ephemeral containers', () => {
    const p = pod({ initContainers: [{ name: 'init' }], ephemeralContainers: [{ name: 'debug' }] }, { runAsNonRoot: undefined, seccompProfile: undefined });
    const init = 'spec.initContainers[0].securityContext';
    const c0 = `${C0}.securityContext`;
    const eph = 'spec.ephemeralContainers[0].securityContext';
    expect(restricted(p)).toEqual([
      { check: 'allowPrivilegeEscalation', path: `${init}.allowPrivilegeEscalation` },
      { check: 'allowPrivilegeEscalation', path: `${eph}.allowPrivilegeEscalation` },
      { check: 'capabilities_restricted', path: `${init}.capabilities.drop` },
      { check: 'capabilities_restricted', path: `${eph}.capabilities.drop` },
      { check: 'runAsNonRoot', path: `${init}.runAsNonRoot` },
      { check: 'runAsNonRoot', path: `${c0}.runAsNonRoot` },
      { check: 'runAsNonRoot', path: `${eph}.runAsNonRoot` },
      { check: 'seccompProfile_restricted', path: `${init}.seccompProfile.type` },
      { check: 'seccompProfile_restricted', path: `${c0}.seccompProfile.type` },
      { check: 'seccompProfile_restricted', path: `${eph}.seccompProfile.type` },
    ]);
  });

  test('messages name the container and what is allowed', () => {
    const [v] = checkPodSecurityRestricted(pod({ containers: [container({ allowPrivilegeEscalation: true })] }));
    expect(v).toEqual({
      check: 'allowPrivilegeEscalation',
      path: `${C0}.securityContext.allowPrivilegeEscalation`,
      message: 'container "container1" must set securityContext.allowPrivilegeEscalation=false',
    });
  });

  test('tolerates missing and null fields', () => {
    expect(() => checkPodSecurityRestricted({ spec: {} })).not.toThrow();
    expect(checkPodSecurityRestricted({ spec: {} })).toEqual([]);
    const withNulls = JSON.parse(
      '{"metadata":null,"spec":{"securityContext":{"runAsNonRoot":true,"seccompProfile":{"type":"RuntimeDefault"},"sysctls":null},' +
        '"volumes":null,"initContainers":null,"containers":[{"name":"c","ports":null,"lifecycle":null,' +
        '"securityContext":{"allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"],"add":null},"privileged":null,"seLinuxOptions":null}}]}}',
    ) as PodLike;
    expect(checkPodSecurityRestricted(withNulls, { version: 'latest' })).toEqual([]);
  });
});

describe('baseline checks (enforced by restricted)', () => {
  test('privileged', () => {
    expect(restricted(pod({ containers: [container({ privileged: true })] }))).toEqual([{ check: 'privileged', path: `${C0}.securityContext.privileged` }]);
    expect(restricted(pod({ containers: [container({ privileged: false })] }))).toEqual([]);
  });

  test('hostNamespaces', () => {
    expect(restricted(pod({ hostNetwork: true, hostPID: true, hostIPC: true }))).toEqual([
      { check: 'hostNamespaces', path: 'spec.hostNetwork' },
      { check: 'hostNamespaces', path: 'spec.hostPID' },
      { check: 'hostNamespaces', path: 'spec.hostIPC' },
    ]);
    expect(restricted(pod({ hostNetwork: false, hostPID: false, hostIPC: false }))).toEqual([]);
  });

  test('hostPorts', () => {
    const ports = [{ containerPort: 8080 }, { containerPort: 8081, hostPort: 0 }, { containerPort: 443, hostPort: 443 }];
    expect(restricted(pod({ containers: [container({}, { ports })] }))).toEqual([{ check: 'hostPorts', path: `${C0}.ports[2].hostPort` }]);
  });

  test('hostPathVolumes is replaced by restrictedVolumes under restricted', () => {
    const p = pod({ volumes: [{ name: 'host', hostPath: { path: '/var/run' } }] });
    expect(baseline(p)).toEqual([{ check: 'hostPathVolumes', path: 'spec.volumes[0].hostPath' }]);
    expect(restricted(p)).toEqual([{ check: 'restrictedVolumes', path: 'spec.volumes[0].hostPath' }]);
  });

  test('capabilities_baseline allows only the default set; replaced by capabilities_restricted', () => {
    const p = pod({ containers: [container({ capabilities: { drop: ['ALL'], add: ['CHOWN', 'SYS_ADMIN', 'NET_RAW'] } })] });
    expect(baseline(p)).toEqual([
      { check: 'capabilities_baseline', path: `${C0}.securityContext.capabilities.add[1]` },
      { check: 'capabilities_baseline', path: `${C0}.securityContext.capabilities.add[2]` },
    ]);
    expect(restricted(p)).toEqual([0, 1, 2].map((i) => ({ check: 'capabilities_restricted', path: `${C0}.securityContext.capabilities.add[${i}]` })));
  });

  describe('appArmorProfile', () => {
    const key = 'container.apparmor.security.beta.kubernetes.io/container1';
    test('annotation', () => {
      expect(restricted(pod({}, {}, { [key]: 'unconfined' }))).toEqual([{ check: 'appArmorProfile', path: `metadata.annotations['${key}']` }]);
      for (const value of ['runtime/default', 'localhost/my-profile', '']) expect(restricted(pod({}, {}, { [key]: value }))).toEqual([]);
      expect(restricted(pod({}, {}, { 'example.com/unrelated': 'unconfined' }))).toEqual([]);
    });
    test('field at pod and container level', () => {
      const p = pod({ containers: [container({ appArmorProfile: { type: 'Unconfined' } })] }, { appArmorProfile: { type: 'Unconfined' } });
      expect(restricted(p)).toEqual([
        { check: 'appArmorProfile', path: 'spec.securityContext.appArmorProfile.type' },
        { check: 'appArmorProfile', path: `${C0}.securityContext.appArmorProfile.type` },
      ]);
      const ok = pod({ containers: [container({ appArmorProfile: { type: 'Localhost', localhostProfile: 'p' } })] }, { appArmorProfile: { type: 'RuntimeDefault' } });
      expect(restricted(ok)).toEqual([]);
    });
  });

  describe('seLinuxOptions', () => {
    test('type, user and role', () => {
      const p = pod({ containers: [container({ seLinuxOptions: { type: 'spc_t', user: 'system_u', role: 'system_r' } })] });
      expect(restricted(p)).toEqual([
        { check: 'seLinuxOptions', path: `${C0}.securityContext.seLinuxOptions.type` },
        { check: 'seLinuxOptions', path: `${C0}.securityContext.seLinuxOptions.user` },
        { check: 'seLinuxOptions', path: `${C0}.securityContext.seLinuxOptions.role` },
      ]);
      expect(restricted(pod({}, { seLinuxOptions: { type: 'container_t', level: 's0:c123,c456' } }))).toEqual([]);
    });
    test('container_engine_t is allowed from 1.31', () => {
      const p = pod({}, { seLinuxOptions: { type: 'container_engine_t' } });
      expect(restricted(p, '1.30')).toEqual([{ check: 'seLinuxOptions', path: 'spec.securityContext.seLinuxOptions.type' }]);
      expect(restricted(p, '1.31')).toEqual([]);
    });
  });

  describe('procMount', () => {
    const p = (hostUsers?: boolean) => pod({ ...(hostUsers === undefined ? {} : { hostUsers }), containers: [container({ procMount: 'Unmasked' })] });
    const path = `${C0}.securityContext.procMount`;
    test('Unmasked fails; Default passes', () => {
      expect(restricted(p())).toEqual([{ check: 'procMount', path }]);
      expect(restricted(pod({ containers: [container({ procMount: 'Default' })] }))).toEqual([]);
    });
    test('from 1.35 procMount_restricted replaces procMount and ignores hostUsers: false', () => {
      expect(restricted(p(false), '1.34')).toEqual([{ check: 'procMount', path }]);
      expect(restricted(p(), '1.35')).toEqual([{ check: 'procMount_restricted', path }]);
      expect(restricted(p(false), '1.35')).toEqual([{ check: 'procMount_restricted', path }]);
    });
    test('baseline relaxes procMount for hostUsers: false from 1.35', () => {
      expect(baseline(p(false), '1.34')).toEqual([{ check: 'procMount', path }]);
      expect(baseline(p(false), '1.35')).toEqual([]);
      expect(baseline(p(true), '1.35')).toEqual([{ check: 'procMount', path }]);
    });
  });

  test('seccompProfile_baseline allows unset but not Unconfined', () => {
    expect(baseline(pod({}, { seccompProfile: undefined }))).toEqual([]);
    expect(baseline(pod({}, { seccompProfile: { type: 'Unconfined' } }))).toEqual([{ check: 'seccompProfile_baseline', path: 'spec.securityContext.seccompProfile.type' }]);
  });

  describe('sysctls', () => {
    const p = (...names: string[]) => pod({}, { sysctls: names.map((name) => ({ name, value: '1' })) });
    test('unsafe sysctls fail', () => {
      expect(restricted(p('net.ipv4.ip_local_port_range', 'kernel.msgmax'))).toEqual([{ check: 'sysctls', path: 'spec.securityContext.sysctls[1].name' }]);
      expect(restricted(p('kernel.shm_rmid_forced', 'net.ipv4.ip_local_reserved_ports'))).toEqual([]);
    });
    test.each([
      ['net.ipv4.tcp_keepalive_time', '1.28', '1.29'],
      ['net.ipv4.tcp_fin_timeout', '1.28', '1.29'],
      ['net.ipv4.tcp_rmem', '1.31', '1.32'],
      ['net.ipv4.tcp_wmem', '1.31', '1.32'],
      ['net.ipv4.tcp_slow_start_after_idle', '1.36', '1.37'],
      ['net.ipv4.tcp_notsent_lowat', '1.36', 'latest'],
    ])('%s fails at %s and passes from %s', (name, before, from) => {
      expect(restricted(p(name), before)).toEqual([{ check: 'sysctls', path: 'spec.securityContext.sysctls[0].name' }]);
      expect(restricted(p(name), from)).toEqual([]);
    });
  });

  test('windowsHostProcess at pod and container level', () => {
    const p = pod({ containers: [container({ windowsOptions: { hostProcess: true } })] }, { windowsOptions: { hostProcess: true } });
    expect(restricted(p)).toEqual([
      { check: 'windowsHostProcess', path: 'spec.securityContext.windowsOptions.hostProcess' },
      { check: 'windowsHostProcess', path: `${C0}.securityContext.windowsOptions.hostProcess` },
    ]);
  });

  describe('hostProbesAndHostLifecycle', () => {
    const p = pod({
      containers: [
        container(
          {},
          {
            livenessProbe: { httpGet: { host: '10.0.0.1', port: 8080, path: '/healthz' } },
            readinessProbe: { tcpSocket: { host: '', port: 8080 } },
            startupProbe: { tcpSocket: { host: 'metadata.internal', port: 80 } },
            lifecycle: { preStop: { httpGet: { host: 'example.com', port: 80 } } },
          },
        ),
      ],
    });
    test('is enforced from 1.34', () => {
      expect(restricted(p, '1.33')).toEqual([]);
      expect(restricted(p, '1.34')).toEqual([
        { check: 'hostProbesAndHostLifecycle', path: `${C0}.livenessProbe.httpGet.host` },
        { check: 'hostProbesAndHostLifecycle', path: `${C0}.startupProbe.tcpSocket.host` },
        { check: 'hostProbesAndHostLifecycle', path: `${C0}.lifecycle.preStop.httpGet.host` },
      ]);
    });
  });
});

describe('restricted checks', () => {
  describe('allowPrivilegeEscalation', () => {
    const path = `${C0}.securityContext.allowPrivilegeEscalation`;
    test('must be false explicitly', () => {
      expect(restricted(pod({ containers: [container({ allowPrivilegeEscalation: undefined })] }))).toEqual([{ check: 'allowPrivilegeEscalation', path }]);
      expect(restricted(pod({ containers: [container({ allowPrivilegeEscalation: true })] }))).toEqual([{ check: 'allowPrivilegeEscalation', path }]);
    });
  });

  test('capabilities_restricted: drop ALL, add only NET_BIND_SERVICE', () => {
    expect(restricted(pod({ containers: [container({ capabilities: { drop: ['NET_RAW'] } })] }))).toEqual([
      { check: 'capabilities_restricted', path: `${C0}.securityContext.capabilities.drop` },
    ]);
    expect(restricted(pod({ containers: [container({ capabilities: undefined })] }))).toEqual([
      { check: 'capabilities_restricted', path: `${C0}.securityContext.capabilities.drop` },
    ]);
    expect(restricted(pod({ containers: [container({ capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } })] }))).toEqual([]);
  });

  test('Windows pods are exempt from allowPrivilegeEscalation, capabilities_restricted and seccompProfile_restricted', () => {
    const windows: PodLike = { spec: { os: { name: 'windows' }, securityContext: { runAsNonRoot: true }, containers: [{ name: 'c' }] } };
    expect(restricted(windows)).toEqual([]);
    const linux: PodLike = { spec: { ...windows.spec, os: { name: 'linux' } } };
    expect(restricted(linux).map((v) => v.check)).toEqual(['allowPrivilegeEscalation', 'capabilities_restricted', 'seccompProfile_restricted']);
  });

  describe('runAsNonRoot', () => {
    const path = `${C0}.securityContext.runAsNonRoot`;
    test('true at pod level covers containers that leave it unset', () => {
      expect(restricted(pod())).toEqual([]);
    });
    test('a container overriding it to false fails', () => {
      expect(restricted(pod({ containers: [container({ runAsNonRoot: false })] }))).toEqual([{ check: 'runAsNonRoot', path }]);
    });
    test('false at pod level fails even when every container sets true', () => {
      expect(restricted(pod({ containers: [container({ runAsNonRoot: true })] }, { runAsNonRoot: false }))).toEqual([
        { check: 'runAsNonRoot', path: 'spec.securityContext.runAsNonRoot' },
      ]);
    });
    test('unset at pod level: every container must set true', () => {
      const both = [container({ runAsNonRoot: true }), container({ runAsNonRoot: true }, {}, 'c2')];
      expect(restricted(pod({ containers: both }, { runAsNonRoot: undefined }))).toEqual([]);
      const oneMissing = [container({ runAsNonRoot: true }), container({}, {}, 'c2')];
      expect(restricted(pod({ containers: oneMissing }, { runAsNonRoot: undefined }))).toEqual([
        { check: 'runAsNonRoot', path: 'spec.containers[1].securityContext.runAsNonRoot' },
      ]);
    });
    test('any value is allowed with hostUsers: false from 1.35', () => {
      const p = pod({ hostUsers: false, containers: [container({ runAsNonRoot: false })] }, { runAsNonRoot: undefined });
      expect(restricted(p, '1.34')).toEqual([{ check: 'runAsNonRoot', path }]);
      expect(restricted(p, '1.35')).toEqual([]);
    });
  });

  describe('runAsUser', () => {
    test('0 fails at pod and container level; other values pass', () => {
      expect(restricted(pod({ containers: [container({ runAsUser: 0 })] }, { runAsUser: 0 }))).toEqual([
        { check: 'runAsUser', path: 'spec.securityContext.runAsUser' },
        { check: 'runAsUser', path: `${C0}.securityContext.runAsUser` },
      ]);
      expect(restricted(pod({ containers: [container({ runAsUser: 1000 })] }, { runAsUser: 65532 }))).toEqual([]);
    });
    test('relaxed with hostUsers: false from 1.35', () => {
      const p = pod({ hostUsers: false }, { runAsUser: 0 });
      expect(restricted(p, '1.34')).toEqual([{ check: 'runAsUser', path: 'spec.securityContext.runAsUser' }]);
      expect(restricted(p, '1.35')).toEqual([]);
    });
  });

  describe('seccompProfile_restricted', () => {
    const noPod = { seccompProfile: undefined };
    test('unset on the pod but set on every container passes', () => {
      const containers = [container({ seccompProfile: { type: 'RuntimeDefault' } }), container({ seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } }, {}, 'c2')];
      expect(restricted(pod({ containers }, noPod))).toEqual([]);
    });
    test('unset on the pod and on one container fails for that container', () => {
      const containers = [container({ seccompProfile: { type: 'RuntimeDefault' } }), container({}, {}, 'c2')];
      expect(restricted(pod({ containers }, noPod))).toEqual([{ check: 'seccompProfile_restricted', path: 'spec.containers[1].securityContext.seccompProfile.type' }]);
    });
    test('Unconfined fails wherever it is set', () => {
      expect(restricted(pod({}, { seccompProfile: { type: 'Unconfined' } }))).toEqual([
        { check: 'seccompProfile_restricted', path: 'spec.securityContext.seccompProfile.type' },
        { check: 'seccompProfile_restricted', path: `${C0}.securityContext.seccompProfile.type` },
      ]);
      expect(restricted(pod({ containers: [container({ seccompProfile: { type: 'Unconfined' } })] }))).toEqual([
        { check: 'seccompProfile_restricted', path: `${C0}.securityContext.seccompProfile.type` },
      ]);
    });
  });

  describe('restrictedVolumes', () => {
    test('allowed sources pass; a volume without a source is defaulted to emptyDir', () => {
      const volumes = [
        { name: 'a', configMap: { name: 'cm' } },
        { name: 'b', secret: { secretName: 's' } },
        { name: 'c', emptyDir: {} },
        { name: 'd', persistentVolumeClaim: { claimName: 'pvc' } },
        { name: 'e', projected: { sources: [] } },
        { name: 'f', downwardAPI: {} },
        { name: 'g', csi: { driver: 'x' } },
        { name: 'h', ephemeral: {} },
        { name: 'i', image: { reference: 'r' } },
        { name: 'j' },
      ];
      expect(restricted(pod({ volumes }))).toEqual([]);
    });
    test.each(FORBIDDEN_VOLUME_SOURCES.map((source) => [source]))('%s fails', (source) => {
      expect(restricted(pod({ volumes: [{ name: 'ok', emptyDir: {} }, { name: 'bad', [source]: {} }] }))).toEqual([
        { check: 'restrictedVolumes', path: `spec.volumes[1].${source}` },
      ]);
    });
    test('an unknown source fails, as upstream', () => {
      const volumes = JSON.parse('[{"name":"x","futureSource":{}}]') as PodSpecLike['volumes'];
      expect(restricted(pod({ volumes }))).toEqual([{ check: 'restrictedVolumes', path: 'spec.volumes[0].futureSource' }]);
    });
  });
});

describe('version option', () => {
  const keepalive = pod({}, { sysctls: [{ name: 'net.ipv4.tcp_keepalive_time', value: '600' }] });
  const hostProbe = pod({ containers: [container({}, { livenessProbe: { tcpSocket: { host: 'h', port: 1 } } })] });

  test('defaults to 1.28', () => {
    expect(restricted(keepalive)).toEqual(restricted(keepalive, '1.28'));
    expect(restricted(keepalive)).toEqual([{ check: 'sysctls', path: 'spec.securityContext.sysctls[0].name' }]);
    expect(restricted(hostProbe)).toEqual([]);
  });

  test('accepts a leading v, "latest", and versions past 1.37 as latest', () => {
    expect(restricted(keepalive, 'v1.29')).toEqual([]);
    expect(restricted(hostProbe, 'latest')).toEqual([{ check: 'hostProbesAndHostLifecycle', path: `${C0}.livenessProbe.tcpSocket.host` }]);
    expect(restricted(hostProbe, '1.40')).toEqual(restricted(hostProbe, 'latest'));
  });

  test.each(['1.27', '1.0', '2.0', '', 'v1', 'newest'])('rejects %j', (version) => {
    expect(() => checkPodSecurityRestricted(pod(), { version })).toThrow(RangeError);
    expect(() => checkObjectPodSecurity({ kind: 'Service' }, { version })).toThrow(/not supported/);
  });
});

describe('workloads', () => {
  const template = { metadata: { annotations: { 'container.apparmor.security.beta.kubernetes.io/container1': 'unconfined' } }, spec: pod().spec };

  test.each([
    ['Pod', 'v1', { ...template }, 'spec', 'metadata'],
    ['Deployment', 'apps/v1', { spec: { template } }, 'spec.template.spec', 'spec.template.metadata'],
    ['StatefulSet', 'apps/v1', { spec: { template } }, 'spec.template.spec', 'spec.template.metadata'],
    ['DaemonSet', 'apps/v1', { spec: { template } }, 'spec.template.spec', 'spec.template.metadata'],
    ['ReplicaSet', 'apps/v1', { spec: { template } }, 'spec.template.spec', 'spec.template.metadata'],
    ['ReplicationController', 'v1', { spec: { template } }, 'spec.template.spec', 'spec.template.metadata'],
    ['PodTemplate', 'v1', { template }, 'template.spec', 'template.metadata'],
    ['Job', 'batch/v1', { spec: { template } }, 'spec.template.spec', 'spec.template.metadata'],
    ['CronJob', 'batch/v1', { spec: { jobTemplate: { spec: { template } } } }, 'spec.jobTemplate.spec.template.spec', 'spec.jobTemplate.spec.template.metadata'],
  ])('%s: pod spec at its path, violation paths prefixed', (kind, apiVersion, body, specPath, metadataPath) => {
    const obj = { apiVersion, kind, ...body };
    const location = podSpecOf(obj);
    expect(location?.path).toBe(specPath);
    expect(location?.metadataPath).toBe(metadataPath);
    expect(location?.spec).toBe(template.spec);

    const broken = JSON.parse(JSON.stringify(obj).replace('"allowPrivilegeEscalation":false', '"allowPrivilegeEscalation":true')) as unknown;
    expect(found(checkObjectPodSecurity(broken))).toEqual([
      { check: 'appArmorProfile', path: `${metadataPath}.annotations['container.apparmor.security.beta.kubernetes.io/container1']` },
      { check: 'allowPrivilegeEscalation', path: `${specPath}.containers[0].securityContext.allowPrivilegeEscalation` },
    ]);
  });

  test('a Pod checked as an object reports the same as checkPodSecurityRestricted', () => {
    const p = pod({ hostNetwork: true }, { runAsUser: 0 });
    expect(checkObjectPodSecurity({ apiVersion: 'v1', kind: 'Pod', ...p }, { version: '1.35' })).toEqual(checkPodSecurityRestricted(p, { version: '1.35' }));
  });

  test('objects without a pod spec are not checked', () => {
    for (const obj of [
      { apiVersion: 'v1', kind: 'Service', spec: { ports: [{ port: 80 }] } },
      { apiVersion: 'v1', kind: 'ConfigMap', data: {} },
      { apiVersion: 'batch.volcano.sh/v1alpha1', kind: 'Job', spec: { template: { spec: { containers: [{ name: 'c' }] } } } },
      { apiVersion: 'apps/v1', kind: 'Deployment', spec: {} },
      { kind: 'toString' },
      null,
      'Pod',
      [],
    ]) {
      expect(podSpecOf(obj)).toBeUndefined();
      expect(checkObjectPodSecurity(obj)).toEqual([]);
    }
  });

  test('a manifest without apiVersion is recognised by kind', () => {
    expect(podSpecOf({ kind: 'Deployment', spec: { template } })?.path).toBe('spec.template.spec');
  });
});

describe('property: one known-bad mutation of the base pod is always reported', () => {
  type Target = 'initContainers' | 'containers' | 'ephemeralContainers';
  interface Case {
    readonly check: string;
    readonly spec?: PodSpecLike;
    readonly podSc?: PodSecurityContextLike;
    readonly sc?: SecurityContextLike;
    readonly extra?: ContainerLike;
    readonly annotations?: Record<string, string>;
    readonly minVersion?: number;
  }
  const nonEmpty = fc.string({ minLength: 1, maxLength: 12 });
  const nonNetBind = fc.constantFrom('SYS_ADMIN', 'NET_RAW', 'CHOWN', 'SYS_PTRACE', 'BPF', 'ALL');
  const unsafeSysctl = fc.constantFrom('kernel.msgmax', 'kernel.sem', 'net.core.somaxconn', 'vm.swappiness', 'net.ipv4.ip_forward');
  const badSeccomp = fc.constantFrom('Unconfined', 'unconfined', '');

  const cases: fc.Arbitrary<Case> = fc.oneof(
    fc.constant<Case>({ check: 'privileged', sc: { privileged: true } }),
    fc.constantFrom<Case>(
      { check: 'hostNamespaces', spec: { hostNetwork: true } },
      { check: 'hostNamespaces', spec: { hostPID: true } },
      { check: 'hostNamespaces', spec: { hostIPC: true } },
    ),
    fc.integer({ min: 1, max: 65535 }).map<Case>((hostPort) => ({ check: 'hostPorts', extra: { ports: [{ containerPort: 80, hostPort }] } })),
    nonNetBind.map<Case>((cap) => ({ check: 'capabilities_restricted', sc: { capabilities: { drop: ['ALL'], add: [cap] } } })),
    fc.constantFrom<Case>(
      { check: 'capabilities_restricted', sc: { capabilities: undefined } },
      { check: 'capabilities_restricted', sc: { capabilities: { drop: ['all'] } } },
    ),
    fc.constantFrom('unconfined', 'docker-default', 'x').map<Case>((v) => ({
      check: 'appArmorProfile',
      annotations: { 'container.apparmor.security.beta.kubernetes.io/container1': v },
    })),
    fc.constantFrom<Case>({ check: 'appArmorProfile', sc: { appArmorProfile: { type: 'Unconfined' } } }, { check: 'appArmorProfile', podSc: { appArmorProfile: { type: 'Unconfined' } } }),
    fc.constantFrom('spc_t', 'unconfined_t', 'container_file_t').map<Case>((type) => ({ check: 'seLinuxOptions', sc: { seLinuxOptions: { type } } })),
    nonEmpty.map<Case>((user) => ({ check: 'seLinuxOptions', podSc: { seLinuxOptions: { user } } })),
    nonEmpty.map<Case>((role) => ({ check: 'seLinuxOptions', sc: { seLinuxOptions: { role } } })),
    fc.constant<Case>({ check: 'procMount', sc: { procMount: 'Unmasked' } }),
    badSeccomp.map<Case>((type) => ({ check: 'seccompProfile_restricted', sc: { seccompProfile: { type } } })),
    badSeccomp.map<Case>((type) => ({ check: 'seccompProfile_restricted', podSc: { seccompProfile: { type } } })),
    fc.constant<Case>({ check: 'seccompProfile_restricted', podSc: { seccompProfile: undefined } }),
    unsafeSysctl.map<Case>((name) => ({ check: 'sysctls', podSc: { sysctls: [{ name, value: '1' }] } })),
    fc.constantFrom<Case>(
      { check: 'windowsHostProcess', sc: { windowsOptions: { hostProcess: true } } },
      { check: 'windowsHostProcess', podSc: { windowsOptions: { hostProcess: true } } },
    ),
    nonEmpty.map<Case>((host) => ({ check: 'hostProbesAndHostLifecycle', extra: { readinessProbe: { httpGet: { host, port: 8080 } } }, minVersion: 34 })),
    fc.constantFrom<Case>({ check: 'allowPrivilegeEscalation', sc: { allowPrivilegeEscalation: true } }, { check: 'allowPrivilegeEscalation', sc: { allowPrivilegeEscalation: undefined } }),
    fc.constantFrom<Case>(
      { check: 'runAsNonRoot', podSc: { runAsNonRoot: false } },
      { check: 'runAsNonRoot', sc: { runAsNonRoot: false } },
      { check: 'runAsNonRoot', podSc: { runAsNonRoot: undefined } },
    ),
    fc.constantFrom<Case>({ check: 'runAsUser', podSc: { runAsUser: 0 } }, { check: 'runAsUser', sc: { runAsUser: 0 } }),
    fc.constantFrom(...FORBIDDEN_VOLUME_SOURCES).map<Case>((source) => ({ check: 'restrictedVolumes', spec: { volumes: [{ name: 'v', [source]: {} }] } })),
  );

  test('restricted reports the expected check ID', () => {
    fc.assert(
      fc.property(cases, fc.constantFrom<Target>('initContainers', 'containers', 'ephemeralContainers'), fc.constantFrom(...VERSIONS), (c, target, version) => {
        const minor = version === 'latest' ? 37 : Number(version.slice(2));
        fc.pre(minor >= (c.minVersion ?? 0));
        const mutated = container(c.sc, c.extra);
        const base = pod(c.spec, c.podSc, c.annotations);
        const containers = { containers: [container()], [target]: [mutated] };
        const p: PodLike = { ...base, spec: { ...base.spec, ...containers } };
        const expected = c.check === 'procMount' && minor >= 35 ? 'procMount_restricted' : c.check;
        const violations = checkPodSecurityRestricted(p, { version });
        expect(violations.map((v) => v.check)).toContain(expected);
        expect(violations.every((v) => v.path.startsWith('spec.') || v.path.startsWith('metadata.annotations['))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
