import { ModelArtifact } from '../artifact/artifact';
import { checkDuration, checkInteger, isPlainObject, listItems } from '../checks';
import { Duration } from '../duration';
import { Problems } from '../errors';
import { ModelImage } from '../image';
import { isPortName, NAME_RULES } from '../names';
import { checkModelAndImage, effectiveModel } from './model-and-image';
import { IRuntime, PortRole, RuntimeDefaults, RuntimePort, RuntimeProfile, RuntimeRenderContext } from './contract';

/** A port of a custom server. */
export interface CustomPort {
  /** Port name, at most 15 characters (also the Service port name). */
  readonly name: string;
  /** Container port. */
  readonly port: number;
  /**
   * What the port serves.
   * @default PortRole.HTTP
   */
  readonly role?: PortRole;
}

/** Options for {@link Runtime.custom}. */
export interface CustomRuntimeOptions {
  /** The server image (pinned). */
  readonly image: ModelImage;
  /**
   * Ports the server listens on. Exactly one must have role HTTP: probes and clients use it.
   * @default [{ name: "http", port: 8080, role: PortRole.HTTP }]
   */
  readonly ports?: CustomPort[];
  /**
   * Liveness path on the HTTP port: answers 200 while the process is healthy.
   * @default "/healthz"
   */
  readonly healthPath?: string;
  /**
   * Readiness path on the HTTP port: answers 200 only when the model is loaded.
   * @default "/ready"
   */
  readonly readinessPath?: string;
  /**
   * Metrics path on the port with role METRICS, or on the HTTP port when there is none.
   * @default - no metrics
   */
  readonly metricsPath?: string;
  /**
   * Command (replaces the image's entrypoint).
   * @default - the image's entrypoint
   */
  readonly command?: string[];
  /**
   * Arguments.
   * @default - the image's command
   */
  readonly args?: string[];
  /**
   * The model, if the server loads one the library should place. Its path reaches the server
   * in the `MODEL_PATH` environment variable.
   * @default - none: the server brings its own
   */
  readonly model?: ModelArtifact;
  /**
   * The uid the image's server runs as (never 0).
   * @default 1000
   */
  readonly runAsUser?: number;
  /**
   * The gid, also the pod's fsGroup.
   * @default - same as `runAsUser`
   */
  readonly runAsGroup?: number;
  /**
   * Directories the server writes (emptyDir volumes; the root filesystem is read-only).
   * @default ["/tmp"]
   */
  readonly writablePaths?: string[];
  /**
   * Startup budget when the service declares no `modelLoadTime`.
   * @default Duration.minutes(1)
   */
  readonly defaultModelLoadTime?: Duration;
  /**
   * Prometheus metric that measures queueing in this server, for autoscaling.
   * @default - none
   */
  readonly scalingMetric?: string;
}

const PATH = /^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/;

/** The user's own server image, with declared ports, health and readiness paths and metrics. */
export class CustomRuntime implements IRuntime {
  public readonly kind = 'custom';
  public constructor(private readonly options: CustomRuntimeOptions) {}

  public get model(): ModelArtifact | undefined {
    return effectiveModel(this.options.model, this.options.image);
  }

  public get image(): ModelImage | undefined {
    return this.options.image;
  }

  private get ports(): RuntimePort[] {
    const ports = Array.isArray(this.options.ports) ? this.options.ports : [{ name: 'http', port: 8080 }];
    return ports.filter(isPlainObject).map((p) => ({ name: p.name, port: p.port, role: p.role ?? PortRole.HTTP }));
  }

  public validate(problems: Problems): void {
    const o = this.options;
    if (o.image === undefined) problems.add('image', o.image, 'expected ModelImage.fromRegistry("<repo>:<version>") or ModelImage.fromModelDirectory(...): a custom runtime has no default image');
    checkModelAndImage(problems, o.model, o.image, undefined);
    const ports = listItems(problems, 'ports', o.ports, 'expected an array of { name, port, role? }') as CustomPort[];
    if (Array.isArray(o.ports) && ports.length === 0) problems.add('ports', ports, 'expected at least one port with role PortRole.HTTP');
    const names = new Set<string>();
    const numbers = new Set<number>();
    ports.forEach((p, i) => {
      if (!isPlainObject(p)) {
        problems.add(`ports[${i}]`, p, 'expected a port such as { name: "http", port: 8080 }');
        return;
      }
      if (!isPortName(p.name)) problems.add(`ports[${i}].name`, p.name, NAME_RULES.port);
      else if (names.has(p.name)) problems.add(`ports[${i}].name`, p.name, 'expected a name not used by another port');
      names.add(p.name);
      checkInteger(problems, `ports[${i}].port`, p.port, 1, 65535);
      if (numbers.has(p.port)) problems.add(`ports[${i}].port`, p.port, 'expected a port number not used by another port');
      numbers.add(p.port);
      if (p.role !== undefined && !Object.values(PortRole).includes(p.role)) problems.add(`ports[${i}].role`, p.role, `expected one of ${Object.values(PortRole).join(', ')}`);
    });
    const http = this.ports.filter((p) => p.role === PortRole.HTTP).length;
    if (ports.length > 0 && http !== 1) problems.add('ports', this.ports.map((p) => `${p.name}:${p.role}`).join(', '), `expected exactly one port with role PortRole.HTTP (found ${http})`);
    if (this.ports.filter((p) => p.role === PortRole.METRICS).length > 1) problems.add('ports', this.ports.map((p) => p.name).join(', '), 'expected at most one port with role PortRole.METRICS');
    for (const key of ['healthPath', 'readinessPath', 'metricsPath'] as const) {
      const path = o[key];
      if (path !== undefined && !(typeof path === 'string' && PATH.test(path))) problems.add(key, path, 'expected an absolute URL path such as "/healthz"');
    }
    checkInteger(problems, 'runAsUser', o.runAsUser, 1, 2 ** 31 - 1);
    checkInteger(problems, 'runAsGroup', o.runAsGroup, 1, 2 ** 31 - 1);
    listItems(problems, 'writablePaths', o.writablePaths, 'expected an array of absolute directories').forEach((path, i) => {
      if (!(typeof path === 'string' && path.startsWith('/') && path !== '/' && !path.split('/').includes('..'))) {
        problems.add(`writablePaths[${i}]`, path, 'expected an absolute directory other than "/", without ".."');
      }
    });
    for (const key of ['command', 'args'] as const) {
      const v = o[key];
      if (v !== undefined && !(Array.isArray(v) && v.every((s) => typeof s === 'string'))) problems.add(key, v, 'expected an array of strings');
    }
    checkDuration(problems, 'defaultModelLoadTime', o.defaultModelLoadTime, 1, 24 * 3600);
    if (o.scalingMetric !== undefined && !/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(o.scalingMetric)) problems.add('scalingMetric', o.scalingMetric, 'expected a Prometheus metric name');
  }

  public defaults(): RuntimeDefaults {
    return {
      // No default: the image is a required option.
      image: '',
      defaultImagePath: '/models',
      hasHuggingFaceCli: false,
      modelLoadTime: this.options.defaultModelLoadTime ?? Duration.minutes(1),
      user: { uid: this.options.runAsUser ?? 1000, gid: this.options.runAsGroup ?? this.options.runAsUser ?? 1000 },
    };
  }

  public render(ctx: RuntimeRenderContext): RuntimeProfile {
    const o = this.options;
    const ports = this.ports;
    const http = ports.find((p) => p.role === PortRole.HTTP)!;
    const metricsPort = ports.find((p) => p.role === PortRole.METRICS) ?? http;
    const readiness = { kind: 'http' as const, path: o.readinessPath ?? '/ready', port: http.name };
    return {
      ...(o.command ? { command: [...o.command] } : {}),
      args: [...(o.args ?? [])],
      env: this.model ? [{ name: 'MODEL_PATH', value: ctx.modelPath }] : [],
      ports,
      configFiles: {},
      startupProbe: readiness,
      readinessProbe: readiness,
      livenessProbe: { kind: 'http', path: o.healthPath ?? '/healthz', port: http.name },
      ...(o.metricsPath ? { metrics: { port: metricsPort.name, path: o.metricsPath } } : {}),
      writablePaths: (o.writablePaths ?? ['/tmp']).map((path) => ({ path })),
      ...(o.scalingMetric ? { scalingSignal: { metric: o.scalingMetric, description: 'the server\'s own queueing metric' } } : {}),
    };
  }
}
