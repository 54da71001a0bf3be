/**
 * renderCompose: every runtime's minimal service becomes a Compose project that validates
 * against the Compose specification's schema, with the image, ports, environment, user,
 * read-only root, writable paths, healthcheck and dependencies derived from the rendered
 * Kubernetes objects.
 */
import {
  Accelerator,
  ArtifactCredentials,
  Duration,
  ModelArtifact,
  ModelImage,
  Runtime,
  type ModelServiceProps,
} from '../../../lib/core';
import { renderCompose, type ComposeProject } from '../../../lib/core/compose';
import { CUSTOM_IMAGE, fetcherOf, MINIMAL_PROPS, render, RUNTIME_KINDS, serverOf, type RuntimeKind } from '../../support/fixtures';
import { validationErrorOf } from '../../support/problems';
import { composeSchemaErrors } from './compose-schema';
import { builtCustomProps, builtTorchServeProps, composeValid, serviceOf } from './support';

/** What each runtime's minimal service must become, written out rather than derived. */
const EXPECTED: Record<
  RuntimeKind,
  { image: string; ports: string[]; tmpfs: string[]; shm?: string; test: string[]; startPeriod: string; fetchImage?: string; memory: string; gpus?: number }
> = {
  torchserve: {
    image: 'pytorch/torchserve:0.12.0-cpu',
    // 8081 is the management API (admin): never published.
    ports: ['127.0.0.1:8080:8080/tcp', '127.0.0.1:8082:8082/tcp'],
    tmpfs: ['/tmp:mode=1777,exec', '/home/model-server/logs:size=1g,mode=1777,exec', '/home/model-server/tmp:mode=1777,exec', '/home/model-server/.cache:mode=1777,exec'],
    test: ['CMD', 'python3', '-c', 'import urllib.request; urllib.request.urlopen("http://127.0.0.1:8080/ping", timeout=4)'],
    startPeriod: '130s',
    fetchImage: 'amazon/aws-cli:2.22.35',
    memory: '2g',
  },
  tfserving: {
    image: 'tensorflow/serving:2.18.0',
    ports: ['127.0.0.1:8501:8501/tcp', '127.0.0.1:8500:8500/tcp'],
    tmpfs: ['/tmp:mode=1777,exec'],
    // TF Serving's image has bash but no Python; `$` is escaped for Compose.
    test: [
      'CMD',
      'bash',
      '-c',
      'exec 3<>/dev/tcp/127.0.0.1/8501 && printf \'GET %s HTTP/1.0\\r\\nHost: 127.0.0.1\\r\\n\\r\\n\' /v1/models/tfserving/metadata >&3 && read -r -t 4 _ status _ <&3 && [ "$$status" -ge 200 ] && [ "$$status" -lt 300 ]',
    ],
    startPeriod: '130s',
    fetchImage: 'google/cloud-sdk:502.0.0-slim',
    memory: '2g',
  },
  triton: {
    image: 'nvcr.io/nvidia/tritonserver:24.10-py3',
    ports: ['127.0.0.1:8000:8000/tcp', '127.0.0.1:8001:8001/tcp', '127.0.0.1:8002:8002/tcp'],
    tmpfs: ['/tmp:mode=1777,exec'],
    test: ['CMD', 'python3', '-c', 'import urllib.request; urllib.request.urlopen("http://127.0.0.1:8000/v2/health/ready", timeout=4)'],
    startPeriod: '190s',
    fetchImage: 'amazon/aws-cli:2.22.35',
    memory: '2g',
  },
  vllm: {
    image: 'vllm/vllm-openai:v0.6.6',
    ports: ['127.0.0.1:8000:8000/tcp'],
    tmpfs: ['/tmp:size=10g,mode=1777,exec'],
    shm: '2g',
    test: ['CMD', 'python3', '-c', 'import urllib.request; urllib.request.urlopen("http://127.0.0.1:8000/health", timeout=4)'],
    startPeriod: '610s',
    // Hugging Face models are fetched with the server's own image (it has huggingface-cli).
    fetchImage: 'vllm/vllm-openai:v0.6.6',
    memory: '32g',
    gpus: 1,
  },
  custom: {
    image: CUSTOM_IMAGE,
    ports: ['127.0.0.1:8080:8080/tcp'],
    tmpfs: ['/tmp:mode=1777,exec'],
    test: ['CMD', 'python3', '-c', 'import urllib.request; urllib.request.urlopen("http://127.0.0.1:8080/ready", timeout=4)'],
    startPeriod: '70s',
    memory: '2g',
  },
};

describe.each(RUNTIME_KINDS)('the minimal %s service', (kind) => {
  const rendered = render(MINIMAL_PROPS[kind](), kind);
  const server = serverOf(rendered);
  const project = composeValid([rendered]);
  const service = serviceOf(project, kind);
  const expected = EXPECTED[kind];

  it('validates against the Compose specification and names one service per container', () => {
    expect(project.compose.name).toBe('modelship');
    const fetched = expected.fetchImage !== undefined;
    expect(Object.keys(project.compose.services)).toEqual(fetched ? [kind, `${kind}-fetch-model`, `${kind}-prepare-volumes`] : [kind]);
  });

  it("runs the Deployment's image with its command, args and plain environment", () => {
    expect(service.image).toBe(server.image);
    expect(service.image).toBe(expected.image);
    expect(service.build).toBeUndefined();
    expect(service.entrypoint).toEqual(server.command);
    expect(service.command).toEqual(server.args);
    const plain = Object.fromEntries((server.env ?? []).map((e) => [e.name, e.value]));
    expect(service.environment ?? {}).toEqual(plain);
  });

  it('publishes the HTTP, gRPC and metrics ports on 127.0.0.1 only, at the same numbers', () => {
    expect(service.ports).toEqual(expected.ports);
  });

  it('runs as the pod user, read-only, without capabilities or privilege escalation', () => {
    expect(server.securityContext.runAsUser).toBe(1000);
    expect(service.user).toBe('1000:1000');
    expect(service.read_only).toBe(true);
    expect(service.cap_drop).toEqual(['ALL']);
    expect(service.security_opt).toEqual(['no-new-privileges:true']);
  });

  it('mounts a tmpfs for each writable path, sized by its sizeLimit, and sizes /dev/shm', () => {
    expect(service.tmpfs).toEqual(expected.tmpfs);
    expect(service.shm_size).toBe(expected.shm);
  });

  it('checks health like the readiness probe, waiting out the startup budget', () => {
    const probe = server.readinessProbe!;
    expect(service.healthcheck).toEqual({ test: expected.test, interval: `${probe.periodSeconds}s`, timeout: `${probe.timeoutSeconds}s`, retries: probe.failureThreshold, start_period: expected.startPeriod });
    expect(service.healthcheck!.interval).toBe('5s');
    expect(service.healthcheck!.retries).toBe(3);
    expect(service.healthcheck!.start_period).toBe(`${rendered.budget.modelLoadSeconds + rendered.budget.startupProbe.periodSeconds}s`);
  });

  it('limits memory, reserves GPUs and keeps the termination grace period', () => {
    expect(service.deploy?.resources.limits).toEqual({ memory: expected.memory });
    expect(service.deploy?.resources.reservations).toEqual(expected.gpus ? { devices: [{ driver: 'nvidia', count: expected.gpus, capabilities: ['gpu'] }] } : undefined);
    expect(service.stop_grace_period).toBe('60s');
  });

  it('waits for the fetched model, mounted read-only at /mnt/models', () => {
    if (expected.fetchImage === undefined) {
      expect(service.depends_on).toBeUndefined();
      expect(project.compose.volumes).toBeUndefined();
      return;
    }
    expect(service.depends_on).toEqual({ [`${kind}-fetch-model`]: { condition: 'service_completed_successfully' } });
    expect(service.volumes).toContainEqual({ type: 'volume', source: `${kind}-model`, target: '/mnt/models', read_only: true });
    expect(serviceOf(project, `${kind}-fetch-model`).image).toBe(expected.fetchImage);
  });
});

describe('a fetched model', () => {
  const rendered = render(MINIMAL_PROPS.torchserve(), 'fraud');
  const init = fetcherOf(rendered);
  const project = composeValid([rendered]);
  const fetch = serviceOf(project, 'fraud-fetch-model');

  it("runs the init container once, with its image, command, env, user and limits, writing the model volume", () => {
    expect(fetch).toEqual({
      image: 'amazon/aws-cli:2.22.35',
      entrypoint: init.command,
      environment: { HOME: '/tmp' },
      user: '1000:1000',
      read_only: true,
      cap_drop: ['ALL'],
      security_opt: ['no-new-privileges:true'],
      tmpfs: ['/tmp:size=1g,mode=1777,exec'],
      volumes: [{ type: 'volume', source: 'fraud-model', target: '/mnt/models', read_only: false }],
      deploy: { resources: { limits: { memory: '1g' } } },
      depends_on: { 'fraud-prepare-volumes': { condition: 'service_completed_successfully' } },
    });
    expect(init.command!.join(' ')).toContain('aws s3 cp');
  });

  it('hands the new volume to the fetcher user first, as root with only CAP_CHOWN and no network', () => {
    expect(serviceOf(project, 'fraud-prepare-volumes')).toEqual({
      image: 'amazon/aws-cli:2.22.35',
      entrypoint: ['chown', '1000:1000', '/mnt/models'],
      user: '0:0',
      read_only: true,
      cap_drop: ['ALL'],
      cap_add: ['CHOWN'],
      security_opt: ['no-new-privileges:true'],
      network_mode: 'none',
      volumes: [{ type: 'volume', source: 'fraud-model', target: '/mnt/models', read_only: false }],
    });
  });

  it('declares the model volume, and the server depends only on the fetch', () => {
    expect(project.compose.volumes).toEqual({ 'fraud-model': { labels: { 'dev.modelship.service': 'fraud' } } });
    expect(serviceOf(project, 'fraud').depends_on).toEqual({ 'fraud-fetch-model': { condition: 'service_completed_successfully' } });
    expect(project.volumesToFill).toEqual([]);
  });
});

describe('a model on a PersistentVolumeClaim', () => {
  const rendered = render({ runtime: Runtime.torchServe({ model: ModelArtifact.fromPersistentVolumeClaim('model-store', { path: 'fraud.mar' }) }) }, 'fraud');
  const project = composeValid([rendered]);

  it('becomes a named volume the user fills, mounted read-only, with nothing fetched', () => {
    expect(Object.keys(project.compose.services)).toEqual(['fraud']);
    expect(project.compose.volumes).toEqual({ 'fraud-model': { labels: { 'dev.modelship.persistent-volume-claim': 'model-store', 'dev.modelship.service': 'fraud' } } });
    expect(serviceOf(project, 'fraud').volumes).toContainEqual({ type: 'volume', source: 'fraud-model', target: '/mnt/models', read_only: true });
    expect(serviceOf(project, 'fraud').depends_on).toBeUndefined();
    expect(project.volumesToFill).toEqual([{ volume: 'fraud-model', dockerName: 'modelship_fraud-model', claimName: 'model-store', service: 'fraud', mountPath: '/mnt/models' }]);
  });
});

describe('a model baked into a registry image', () => {
  const rendered = render({ runtime: Runtime.torchServe({ model: ModelArtifact.inImage(), image: ModelImage.fromRegistry('registry.example.com/ml/fraud:1.2.0') }) }, 'fraud');
  const project = composeValid([rendered]);
  const service = serviceOf(project, 'fraud');

  it('needs no volume and no dependency, only the ConfigMap files bind-mounted read-only', () => {
    expect(project.compose.volumes).toBeUndefined();
    expect(service.depends_on).toBeUndefined();
    expect(service.image).toBe('registry.example.com/ml/fraud:1.2.0');
    expect(service.volumes).toEqual([{ type: 'bind', source: './config/fraud', target: '/etc/modelship', read_only: true }]);
    const data = rendered.configMap!['data'] as Record<string, string>;
    expect(project.files).toEqual([{ path: 'config/fraud/config.properties', content: data['config.properties'] }]);
  });

  it('writes the files under configDir when given', () => {
    const moved = composeValid([rendered], { configDir: 'local/cfg' });
    expect(moved.files.map((f) => f.path)).toEqual(['local/cfg/fraud/config.properties']);
    expect(serviceOf(moved, 'fraud').volumes).toEqual([{ type: 'bind', source: './local/cfg/fraud', target: '/etc/modelship', read_only: true }]);
  });
});

describe('an image built from a model directory', () => {
  it('builds from images/<name> and runs the content-hash tag the Deployment runs', () => {
    const rendered = render(builtCustomProps(), 'scorer');
    const project = composeValid([rendered]);
    const service = serviceOf(project, 'scorer');
    expect(rendered.imageBuild).toBeDefined();
    expect(service.image).toBe(rendered.imageBuild!.reference);
    expect(service.image).toBe(serverOf(rendered).image);
    expect(service.image).toMatch(/^registry\.example\.com\/ml\/scorer:[0-9a-f]{20}$/);
    expect(service.build).toEqual({ context: 'images/scorer', dockerfile: 'Dockerfile' });
    expect(service.entrypoint).toEqual(['python3', '/models/server.py']);
    expect(service.environment).toEqual({ MODEL_PATH: '/models' });
    expect(service.ports).toEqual(['127.0.0.1:8080:8080/tcp', '127.0.0.1:9090:9090/tcp']);
  });

  it('takes the contexts from imagesDir', () => {
    const project = composeValid([render(builtCustomProps(), 'scorer')], { imagesDir: 'dist/images' });
    expect(serviceOf(project, 'scorer').build).toEqual({ context: 'dist/images/scorer', dockerfile: 'Dockerfile' });
  });

  it('has the config baked in: no bind mount and no files to write', () => {
    const rendered = render(builtTorchServeProps(), 'fraud');
    expect(rendered.configMap).toBeDefined();
    const project = composeValid([rendered]);
    const service = serviceOf(project, 'fraud');
    expect(service.build).toEqual({ context: 'images/fraud', dockerfile: 'Dockerfile' });
    expect(service.volumes).toBeUndefined();
    expect(project.files).toEqual([]);
  });
});

describe('GPUs and resource limits', () => {
  it('reserves as many NVIDIA GPUs as the accelerator asks for', () => {
    const props: ModelServiceProps = { ...MINIMAL_PROPS.vllm(), accelerator: Accelerator.nvidiaGpu({ count: 2 }) };
    const service = serviceOf(composeValid([render(props, 'llm')]), 'llm');
    expect(service.deploy!.resources.reservations).toEqual({ devices: [{ driver: 'nvidia', count: 2, capabilities: ['gpu'] }] });
    expect(service.command).toContain('--tensor-parallel-size=2');
  });

  it('refuses MIG slices, which Compose cannot reserve', () => {
    const props: ModelServiceProps = { ...MINIMAL_PROPS.vllm(), accelerator: Accelerator.nvidiaGpu({ migProfile: '3g.40gb' }) };
    expect(() => renderCompose([render(props, 'llm')])).toThrow(/resources\.limits\.nvidia\.com\/mig-3g\.40gb.*Compose cannot reserve a MIG slice/);
  });

  it('takes the memory and CPU limits, in Docker units', () => {
    const props: ModelServiceProps = { ...MINIMAL_PROPS.custom(), resources: { cpu: '250m', cpuLimit: '1500m', memory: '1500M', memoryLimit: '3Gi' } };
    expect(serviceOf(composeValid([render(props, 'scorer')]), 'scorer').deploy).toEqual({ resources: { limits: { memory: '3g', cpus: '1.5' } } });
    const decimal: ModelServiceProps = { ...MINIMAL_PROPS.custom(), resources: { memory: '1500M' } };
    expect(serviceOf(composeValid([render(decimal, 'scorer')]), 'scorer').deploy).toEqual({ resources: { limits: { memory: '1500000000' } } });
  });
});

describe('timing', () => {
  it('waits modelLoadTime plus one startup period before failures count, and stops within the grace period', () => {
    const props: ModelServiceProps = { ...MINIMAL_PROPS.custom(), modelLoadTime: Duration.minutes(5), startupProbe: { periodSeconds: 20 }, terminationGracePeriod: Duration.seconds(90) };
    const service = serviceOf(composeValid([render(props, 'scorer')]), 'scorer');
    expect(service.healthcheck!.start_period).toBe('320s');
    expect(service.stop_grace_period).toBe('90s');
  });
});

describe('secrets', () => {
  const props: ModelServiceProps = {
    runtime: Runtime.torchServe({
      model: ModelArtifact.fromS3('s3://models/fraud/v7/fraud.mar', { credentials: ArtifactCredentials.fromSecret('s3-reader', { AWS_ACCESS_KEY_ID: 'access-key', AWS_SECRET_ACCESS_KEY: 'secret-key' }) }),
    }),
    env: { LOG_LEVEL: 'info' },
    secretEnv: { API_TOKEN: { secretName: 'fraud-tokens', key: 'api' }, 'db.password': { secretName: 'fraud-db', key: 'password' } },
  };
  const rendered = render(props, 'fraud');
  const project = composeValid([rendered]);

  it('are read from the host environment, never written', () => {
    expect(serviceOf(project, 'fraud').environment).toEqual({
      API_TOKEN: '${API_TOKEN}',
      LOG_LEVEL: 'info',
      LOG_LOCATION: '/home/model-server/logs',
      METRICS_LOCATION: '/home/model-server/logs',
      TEMP: '/home/model-server/tmp',
      // Compose interpolates only [_A-Za-z0-9] names.
      'db.password': '${db_password}',
    });
    expect(serviceOf(project, 'fraud-fetch-model').environment).toEqual({ HOME: '/tmp', AWS_ACCESS_KEY_ID: '${AWS_ACCESS_KEY_ID}', AWS_SECRET_ACCESS_KEY: '${AWS_SECRET_ACCESS_KEY}' });
    const text = JSON.stringify(project.compose);
    for (const leak of ['secretKeyRef', 's3-reader', 'fraud-tokens', 'fraud-db', 'access-key', 'secret-key']) expect(text).not.toContain(leak);
  });

  it('are listed with the Secret and key each host variable stands for', () => {
    expect(project.hostEnvironment).toEqual([
      { variable: 'API_TOKEN', services: ['fraud'], secretName: 'fraud-tokens', key: 'api' },
      { variable: 'AWS_ACCESS_KEY_ID', services: ['fraud-fetch-model'], secretName: 's3-reader', key: 'access-key' },
      { variable: 'AWS_SECRET_ACCESS_KEY', services: ['fraud-fetch-model'], secretName: 's3-reader', key: 'secret-key' },
      { variable: 'db_password', services: ['fraud'], secretName: 'fraud-db', key: 'password' },
    ]);
  });

  it('from two different Secrets under one variable name get a variable qualified by the later service', () => {
    const other: ModelServiceProps = { ...MINIMAL_PROPS.custom(), secretEnv: { API_TOKEN: { secretName: 'scorer-tokens', key: 'api' } } };
    const both = composeValid([rendered, render(other, 'scorer')], { hostPortOffset: { scorer: 1000 } });
    expect((both.compose.services['scorer'] as { environment: Record<string, string> }).environment['API_TOKEN']).toBe('${SCORER_API_TOKEN}');
    expect((both.compose.services['fraud'] as { environment: Record<string, string> }).environment['API_TOKEN']).toBe('${API_TOKEN}');
    expect(both.hostEnvironment.filter((h) => h.variable.endsWith('API_TOKEN'))).toEqual([
      { variable: 'API_TOKEN', services: ['fraud'], secretName: 'fraud-tokens', key: 'api' },
      { variable: 'SCORER_API_TOKEN', services: ['scorer'], secretName: 'scorer-tokens', key: 'api' },
    ]);
    // The same Secret key in two services is one variable.
    const same: ModelServiceProps = { ...MINIMAL_PROPS.custom(), secretEnv: { API_TOKEN: { secretName: 'fraud-tokens', key: 'api' } } };
    const shared = composeValid([rendered, render(same, 'scorer')], { hostPortOffset: { scorer: 1000 } });
    expect(shared.hostEnvironment[0]).toEqual({ variable: 'API_TOKEN', services: ['fraud', 'scorer'], secretName: 'fraud-tokens', key: 'api' });
  });
});

describe('dollar signs', () => {
  it("are expanded like the kubelet's $(VAR) and escaped for Compose", () => {
    const props: ModelServiceProps = {
      runtime: Runtime.custom({
        image: ModelImage.fromRegistry(CUSTOM_IMAGE),
        args: ['--token=$(TOKEN)', '--greeting=$(GREETING)', '--literal=$$(GREETING)', '--unknown=$(NOPE)', '--price=$5'],
      }),
      env: { GREETING: 'costs $5', ECHO: '$(GREETING)!' },
      secretEnv: { TOKEN: { secretName: 'tokens', key: 't' } },
    };
    const service = serviceOf(composeValid([render(props, 'scorer')]), 'scorer');
    // The kubelet passes: --token=<secret> --greeting=costs $5 --literal=$(GREETING) --unknown=$(NOPE) --price=$5
    expect(service.command).toEqual(['--token=${TOKEN}', '--greeting=costs $$5', '--literal=$$(GREETING)', '--unknown=$$(NOPE)', '--price=$$5']);
    // ECHO comes after GREETING in the pod's env (props.env order), so it sees it.
    expect(service.environment).toEqual({ GREETING: 'costs $$5', ECHO: 'costs $$5!', TOKEN: '${TOKEN}' });
  });
});

describe('host ports', () => {
  const fraud = render(MINIMAL_PROPS.torchserve(), 'fraud');
  const scorer = render(MINIMAL_PROPS.custom(), 'scorer');

  it('that two services publish are refused, listing both', () => {
    const error = validationErrorOf(() => renderCompose([fraud, scorer]));
    expect(error.problems).toEqual([
      {
        construct: 'compose',
        prop: 'hostPortOffset',
        given: '"127.0.0.1:8080"',
        allowed: 'expected each host port to be published once: fraud (http, container port 8080) and scorer (http, container port 8080) all publish it; shift one service with hostPortOffset, e.g. { "scorer": 100 }',
      },
    ]);
  });

  it('shift by a per-service offset, container ports unchanged', () => {
    const project = composeValid([fraud, scorer], { hostPortOffset: { scorer: 100 } });
    expect(serviceOf(project, 'fraud').ports).toEqual(['127.0.0.1:8080:8080/tcp', '127.0.0.1:8082:8082/tcp']);
    expect(serviceOf(project, 'scorer').ports).toEqual(['127.0.0.1:8180:8080/tcp']);
  });

  it('shift all together by a number', () => {
    expect(serviceOf(composeValid([fraud], { hostPortOffset: 10000 }), 'fraud').ports).toEqual(['127.0.0.1:18080:8080/tcp', '127.0.0.1:18082:8082/tcp']);
  });

  it('must stay in range, and offsets must name services', () => {
    expect(() => renderCompose([fraud], { hostPortOffset: 60000 })).toThrow(/hostPortOffset: got 60000; expected host ports from 1 to 65535: http \(8080\) would be published on 68080/);
    expect(() => renderCompose([fraud], { hostPortOffset: { fruad: 1 } })).toThrow(/hostPortOffset\.fruad: got "fruad"; expected the name of a service \(fraud\)/);
    expect(() => renderCompose([fraud], { hostPortOffset: 1.5 })).toThrow(/hostPortOffset: got 1.5; expected an integer/);
  });
});

describe('services', () => {
  it('of the same name are refused', () => {
    expect(() => renderCompose([render(MINIMAL_PROPS.custom(), 'scorer'), render(MINIMAL_PROPS.custom(), 'scorer')], { hostPortOffset: 0 })).toThrow(
      /services: got "scorer"; expected one Compose service of this name/,
    );
  });
});

describe('the project', () => {
  const services = [render(MINIMAL_PROPS.torchserve(), 'fraud'), render(MINIMAL_PROPS.tfserving(), 'ranker'), render(MINIMAL_PROPS.triton(), 'vision')];

  it('is the same for the same services, whatever their order, with sorted keys', () => {
    const once = composeValid(services);
    expect(JSON.stringify(composeValid(services))).toBe(JSON.stringify(once));
    expect(JSON.stringify(composeValid([...services].reverse()))).toBe(JSON.stringify(once));
    expect(Object.keys(once.compose)).toEqual(['name', 'services', 'volumes']);
    for (const service of Object.values(once.compose.services)) expect(Object.keys(service)).toEqual([...Object.keys(service)].sort());
    expect(Object.keys(once.compose.services)).toEqual(['fraud', 'fraud-fetch-model', 'fraud-prepare-volumes', 'ranker', 'ranker-fetch-model', 'ranker-prepare-volumes', 'vision', 'vision-fetch-model', 'vision-prepare-volumes']);
  });

  it('is named by the name option, which must be a Compose project name', () => {
    expect(composeValid(services, { name: 'fraud-local' }).compose.name).toBe('fraud-local');
    expect(() => renderCompose(services, { name: 'Fraud Local' })).toThrow(/name: got "Fraud Local"; expected a Compose project name/);
    expect(() => renderCompose(services, { configDir: '../outside' })).toThrow(/configDir: got "..\/outside"; expected a relative directory without ".."/);
  });

  it('of no services is empty and valid', () => {
    const project: ComposeProject = composeValid([]);
    expect(project.compose).toEqual({ name: 'modelship', services: {} });
  });
});

describe('the healthCheck option', () => {
  const rendered = render(MINIMAL_PROPS.tfserving(), 'ranker');

  it('replaces the test, with the readiness target resolved to a port number', () => {
    const seen: unknown[] = [];
    const project = composeValid([rendered], {
      healthCheck: (target) => {
        seen.push(target);
        return ['CMD-SHELL', `curl -fsS http://127.0.0.1:${target.port}${target.kind === 'http' ? target.path : ''} || exit $?`];
      },
    });
    expect(seen).toEqual([{ kind: 'http', service: 'ranker', runtime: 'tfserving', port: 8501, path: '/v1/models/ranker/metadata', timeoutSeconds: 5 }]);
    expect(serviceOf(project, 'ranker').healthcheck!.test).toEqual(['CMD-SHELL', 'curl -fsS http://127.0.0.1:8501/v1/models/ranker/metadata || exit $$?']);
  });

  it('must return a CMD or CMD-SHELL test', () => {
    expect(() => renderCompose([rendered], { healthCheck: () => ['curl', 'http://127.0.0.1:8501/'] })).toThrow(/healthCheck: got \["curl","http:\/\/127.0.0.1:8501\/"\]; expected the healthCheck option to return/);
  });
});

describe('the schema check', () => {
  it('would catch an unknown or misspelt key in a generated file', () => {
    const project = composeValid([render(MINIMAL_PROPS.torchserve(), 'fraud')]);
    const fraud = project.compose.services['fraud']!;
    const misspelt = { ...project.compose, services: { ...project.compose.services, fraud: { ...fraud, healthcheck: { ...fraud.healthcheck, start_perod: '130s' } } } };
    expect(composeSchemaErrors(misspelt).join('\n')).toMatch(/\/services\/fraud\/healthcheck must NOT have additional properties.*start_perod/);
    const wrongType = { ...project.compose, services: { ...project.compose.services, fraud: { ...fraud, read_only: ['yes'] } } };
    expect(composeSchemaErrors(wrongType).join('\n')).toMatch(/\/services\/fraud\/read_only must be boolean,string/);
  });
});
