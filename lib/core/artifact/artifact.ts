import { Duration } from '../duration';
import { Problems } from '../errors';
import { checkImage, ModelImage } from '../image';
import { Container, EnvVar, SecurityContext, Volume, VolumeMount } from '../k8s-types';
import { formatMebibytes, Size } from '../quantity';
import { shellCommand } from '../shell';
import { ArtifactCredentials } from './credentials';

/** Where fetched models land: a volume the init container writes and the server mounts read-only. */
export const MODEL_MOUNT_PATH = '/mnt/models';
const MODEL_VOLUME = 'model';
const FETCH_TMP_VOLUME = 'fetch-tmp';
/** Scratch space for the fetching CLIs (config, caches, partial downloads of `aws s3 sync`). */
const FETCH_TMP_BYTES = 2 ** 30;

/**
 * Download bandwidth assumed when a fetched artifact declares its `size` but no `downloadTime`.
 * Deliberately conservative (cross-region object storage, shared node NICs): an overestimate
 * only lengthens the rollout deadline, an underestimate fails healthy rollouts.
 */
export const ASSUMED_DOWNLOAD_BYTES_PER_SECOND = 25 * 2 ** 20;
/** Download budget when neither `size` nor `downloadTime` is declared. */
export const DEFAULT_DOWNLOAD_TIME = Duration.minutes(5);

/**
 * Pinned images for the fetching init container. Each is a small official CLI image; override
 * with `fetchImage` to use a mirror.
 */
export const FETCH_IMAGES = {
  s3: 'amazon/aws-cli:2.22.35',
  gs: 'google/cloud-sdk:502.0.0-slim',
  https: 'curlimages/curl:8.11.1',
} as const;

/** Options shared by every fetched artifact. */
export interface FetchOptions {
  /**
   * Size of the model on disk. Sets the model volume's `sizeLimit` (with headroom) and the pod's
   * `ephemeral-storage` request, so the node has room and the pod is not evicted mid-download,
   * and, without `downloadTime`, the download budget at 25 MiB/s.
   * @default - no size limit and no ephemeral-storage request for the model
   */
  readonly size?: Size;
  /**
   * How long the download may take; added to the rollout's progress deadline (the one startup budget).
   * @default - `size` at 25 MiB/s, at least 60 s; 5 minutes when `size` is not declared
   */
  readonly downloadTime?: Duration;
  /**
   * Credentials for the fetcher.
   * @default - none: public objects, or credentials the node or ServiceAccount already has
   */
  readonly credentials?: ArtifactCredentials;
  /**
   * Image of the fetching init container.
   * @default - a pinned official CLI image for the source (aws-cli, cloud-sdk, curl), or the server's own image for Hugging Face
   */
  readonly fetchImage?: ModelImage;
}

/** Options for object-storage artifacts. */
export interface ObjectStoreOptions extends FetchOptions {
  /**
   * SHA-256 of the object (64 hex digits), checked after download. Only for a single object,
   * not for a prefix.
   * @default - not checked (object storage is authenticated; use `sha256` to pin contents too)
   */
  readonly sha256?: string;
}

/** Options for HTTPS artifacts. */
export interface HttpsOptions extends FetchOptions {
  /** SHA-256 of the downloaded file (64 hex digits). Required: an unauthenticated URL is only trustworthy when pinned. */
  readonly sha256: string;
}

/** Options for Hugging Face artifacts. */
export interface HuggingFaceOptions extends FetchOptions {
  /** The commit (40 hex digits) to download. Branches and tags move; a commit does not. */
  readonly revision: string;
}

/** Options for PersistentVolumeClaim artifacts. */
export interface PersistentVolumeClaimOptions {
  /**
   * Path of the model inside the volume (a `.mar` file for TorchServe, a directory otherwise).
   * @default - the volume's root
   */
  readonly path?: string;
}

/** Everything the runtime and the pod need to know about where the model is. */
export interface ArtifactBinding {
  /** Path of the model (file or directory) inside the server container. */
  readonly modelPath: string;
  readonly volumes: Volume[];
  /** Mounts for the server container, always read-only. */
  readonly serverMounts: VolumeMount[];
  readonly initContainers: Container[];
  /** Seconds the download may take (0 when nothing is fetched). */
  readonly fetchSeconds: number;
  /** Bytes of ephemeral storage the model needs on the node (0 when not on local disk or undeclared). */
  readonly storageBytes: number;
  readonly serviceAccountAnnotations: Record<string, string>;
  /** Where the model comes from, as a URL (TorchServe's `allowed_urls` is pinned to it). */
  readonly source?: string;
}

/** What an artifact needs from the service to bind itself. */
export interface ArtifactBindContext {
  /** Where a baked-in model sits in the runtime's image when the user gives no path. */
  readonly defaultImagePath: string;
  /** The server's image, used to fetch from Hugging Face when it has `huggingface-cli`. */
  readonly serverImage: string;
  /** Whether the server image ships `huggingface-cli` (vLLM's does). */
  readonly serverHasHuggingFaceCli: boolean;
  /** The restricted security context every container gets. */
  readonly securityContext: SecurityContext;
}

/**
 * Where a model comes from: baked into the image, fetched by an init container into a volume
 * (object storage, HTTPS, Hugging Face), or an existing PersistentVolumeClaim. Fetched and
 * claimed models are mounted read-only into the server.
 */
export abstract class ModelArtifact {
  /**
   * The model is already inside the server image.
   * @param path where it is in the image
   * @default path - the runtime's model directory (e.g. `/home/model-server/model-store/<name>.mar` for TorchServe)
   */
  public static inImage(path?: string): ModelArtifact {
    return new InImageArtifact(path);
  }

  /**
   * An S3 object (`s3://bucket/key/model.mar`) or prefix (`s3://bucket/key/`, synced whole).
   */
  public static fromS3(uri: string, options: ObjectStoreOptions = {}): ModelArtifact {
    return new FetchedArtifact('s3', uri, options, options?.sha256);
  }

  /** A Google Cloud Storage object (`gs://bucket/model.mar`) or prefix (`gs://bucket/model/`). */
  public static fromGcs(uri: string, options: ObjectStoreOptions = {}): ModelArtifact {
    return new FetchedArtifact('gs', uri, options, options?.sha256);
  }

  /**
   * A file over HTTPS, verified against `sha256` before the server sees it. `.tar.gz` and
   * `.tgz` archives are unpacked into the model directory after verification.
   */
  public static fromHttps(url: string, options: HttpsOptions): ModelArtifact {
    return new FetchedArtifact('https', url, options, options?.sha256, true);
  }

  /** A Hugging Face model repository (`org/name`) at a pinned commit. */
  public static fromHuggingFace(repo: string, options: HuggingFaceOptions): ModelArtifact {
    return new HuggingFaceArtifact(repo, options);
  }

  /** A model on an existing PersistentVolumeClaim (e.g. ReadOnlyMany), mounted read-only. */
  public static fromPersistentVolumeClaim(claimName: string, options: PersistentVolumeClaimOptions = {}): ModelArtifact {
    return new ClaimArtifact(claimName, options ?? {});
  }

  /** Whether the model is fetched at pod start (and so needs a download budget). */
  public abstract readonly fetched: boolean;
  /** Whether the fetcher runs the server's own image (which then must ship the fetching CLI). */
  public get fetchesWithServerImage(): boolean {
    return false;
  }
  /** Records problems under `prop`. */
  public abstract validate(problems: Problems, prop: string): void;
  /** Volumes, init containers and paths for a service. */
  public abstract bind(ctx: ArtifactBindContext): ArtifactBinding;
}

const SHA256 = /^[a-f0-9]{64}$/;
const ARCHIVE = /\.(tar\.gz|tgz)$/;

function baseName(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

class InImageArtifact extends ModelArtifact {
  public readonly fetched = false;
  public override toString(): string {
    return `ModelArtifact.inImage(${this.path === undefined ? '' : JSON.stringify(this.path)})`;
  }
  public constructor(private readonly path?: string) {
    super();
  }
  public validate(problems: Problems, prop: string): void {
    if (this.path !== undefined && !(typeof this.path === 'string' && this.path.startsWith('/'))) {
      problems.add(`${prop}.path`, this.path, 'expected an absolute path inside the image');
    }
  }
  public bind(ctx: ArtifactBindContext): ArtifactBinding {
    return { modelPath: this.path ?? ctx.defaultImagePath, volumes: [], serverMounts: [], initContainers: [], fetchSeconds: 0, storageBytes: 0, serviceAccountAnnotations: {} };
  }
}

class ClaimArtifact extends ModelArtifact {
  public readonly fetched = false;
  public override toString(): string {
    return `ModelArtifact.fromPersistentVolumeClaim(${JSON.stringify(this.claimName)})`;
  }
  public constructor(private readonly claimName: string, private readonly options: PersistentVolumeClaimOptions) {
    super();
  }
  public validate(problems: Problems, prop: string): void {
    if (typeof this.claimName !== 'string' || !/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(this.claimName)) {
      problems.add(`${prop}.claimName`, this.claimName, 'expected the name of a PersistentVolumeClaim (a DNS-1123 subdomain)');
    }
    const path = this.options.path;
    if (path !== undefined && (typeof path !== 'string' || path.startsWith('/') || path.split('/').includes('..'))) {
      problems.add(`${prop}.path`, path, 'expected a relative path inside the volume, without ".."');
    }
  }
  public bind(): ArtifactBinding {
    const path = this.options.path ? `${MODEL_MOUNT_PATH}/${this.options.path.replace(/\/+$/, '')}` : MODEL_MOUNT_PATH;
    return {
      modelPath: path,
      volumes: [{ name: MODEL_VOLUME, persistentVolumeClaim: { claimName: this.claimName, readOnly: true } }],
      serverMounts: [{ name: MODEL_VOLUME, mountPath: MODEL_MOUNT_PATH, readOnly: true }],
      initContainers: [],
      fetchSeconds: 0,
      storageBytes: 0,
      serviceAccountAnnotations: {},
    };
  }
}

/** Shared by the fetched artifacts: the volume, the init container around a download script, the budget. */
abstract class DownloadingArtifact extends ModelArtifact {
  public readonly fetched = true;
  public constructor(protected readonly fetch: FetchOptions) {
    super();
  }

  protected validateFetch(problems: Problems, prop: string): void {
    const { size, downloadTime, credentials, fetchImage } = this.fetch;
    if (size !== undefined && !(size instanceof Size && size.isValid())) problems.add(`${prop}.size`, size, 'expected a positive Size such as Size.gibibytes(12)');
    if (downloadTime !== undefined && !(downloadTime instanceof Duration && downloadTime.isValid() && downloadTime.toMilliseconds() > 0)) {
      problems.add(`${prop}.downloadTime`, downloadTime, 'expected a positive Duration');
    }
    if (credentials !== undefined && !(credentials instanceof ArtifactCredentials)) {
      problems.add(`${prop}.credentials`, credentials, 'expected ArtifactCredentials.fromSecret(...) or ArtifactCredentials.fromServiceAccountAnnotations(...)');
    } else {
      credentials?.validate(problems, `${prop}.credentials`);
    }
    checkImage(problems, `${prop}.fetchImage`, fetchImage);
    if (fetchImage instanceof ModelImage && fetchImage.modelDirectory) {
      problems.add(`${prop}.fetchImage`, fetchImage.modelDirectory.directory, 'expected an existing image (ModelImage.fromRegistry): a fetcher is not built from a model directory');
    }
  }

  /** The shell script that downloads into {@link MODEL_MOUNT_PATH} and verifies. */
  protected abstract script(): string[];
  /** Path of the model inside the mount. */
  protected abstract modelPath(): string;
  /** The fetcher image when none is given. */
  protected abstract defaultImage(ctx: ArtifactBindContext): string;
  protected abstract sourceUrl(): string;
  protected extraEnv(): EnvVar[] {
    return [];
  }
  /** Peak bytes on disk while fetching, relative to the declared model size. */
  protected peakFactor(): number {
    return 1;
  }

  public bind(ctx: ArtifactBindContext): ArtifactBinding {
    const sizeBytes = this.fetch.size?.toBytes();
    // 10 % headroom for filesystem overhead; archives need the archive and its contents at once.
    const storageBytes = sizeBytes ? Math.ceil(sizeBytes * this.peakFactor() * 1.1) : 0;
    // The fetcher's scratch volume counts too: the pod's ephemeral request is the larger of
    // the init container's and the sum of the others'.
    const ephemeral: Record<string, string> = storageBytes ? { 'ephemeral-storage': formatMebibytes(storageBytes + FETCH_TMP_BYTES) } : {};
    const env: EnvVar[] = [
      // The CLIs write config and caches under $HOME; the root filesystem is read-only.
      { name: 'HOME', value: '/tmp' },
      ...this.extraEnv(),
      ...(this.fetch.credentials?.env() ?? []),
    ];
    const init: Container = {
      name: 'fetch-model',
      image: this.fetch.fetchImage?.reference ?? this.defaultImage(ctx),
      imagePullPolicy: 'IfNotPresent',
      command: ['/bin/sh', '-c', ['set -eu', ...this.script()].join('\n')],
      env,
      // No ephemeral-storage limit: the kubelet would take it as the whole pod's limit (init
      // limits are maxed with the containers' sum) and evict the server once the model plus its
      // logs and scratch outgrow a limit sized for the model alone. The volume's sizeLimit bounds the download.
      resources: { requests: { cpu: '250m', memory: '512Mi', ...ephemeral }, limits: { memory: '1Gi' } },
      volumeMounts: [
        { name: MODEL_VOLUME, mountPath: MODEL_MOUNT_PATH },
        { name: FETCH_TMP_VOLUME, mountPath: '/tmp' },
      ],
      securityContext: ctx.securityContext,
      terminationMessagePolicy: 'FallbackToLogsOnError',
    };
    return {
      modelPath: this.modelPath(),
      volumes: [
        { name: MODEL_VOLUME, emptyDir: storageBytes ? { sizeLimit: formatMebibytes(storageBytes) } : {} },
        { name: FETCH_TMP_VOLUME, emptyDir: { sizeLimit: formatMebibytes(FETCH_TMP_BYTES) } },
      ],
      serverMounts: [{ name: MODEL_VOLUME, mountPath: MODEL_MOUNT_PATH, readOnly: true }],
      initContainers: [init],
      fetchSeconds: this.downloadSeconds(),
      storageBytes,
      serviceAccountAnnotations: this.fetch.credentials?.serviceAccountAnnotations() ?? {},
      source: this.sourceUrl(),
    };
  }

  private downloadSeconds(): number {
    if (this.fetch.downloadTime) return this.fetch.downloadTime.toSeconds();
    const size = this.fetch.size?.toBytes();
    if (!size) return DEFAULT_DOWNLOAD_TIME.toSeconds();
    return Math.max(60, Math.ceil(size / ASSUMED_DOWNLOAD_BYTES_PER_SECOND));
  }
}

function verifyScript(sha256: string | undefined, file: string): string[] {
  return sha256 ? [`echo ${shellCommand([`${sha256}  ${file}`])} | sha256sum -c -`] : [];
}

type Scheme = 's3' | 'gs' | 'https';

class FetchedArtifact extends DownloadingArtifact {
  public constructor(private readonly scheme: Scheme, private readonly uri: string, fetch: FetchOptions, private readonly sha256: string | undefined, private readonly requireSha = false) {
    super(fetch ?? {});
  }

  public override toString(): string {
    const factory = { s3: 'fromS3', gs: 'fromGcs', https: 'fromHttps' }[this.scheme];
    return `ModelArtifact.${factory}(${JSON.stringify(this.uri)})`;
  }

  private get isPrefix(): boolean {
    return this.scheme !== 'https' && typeof this.uri === 'string' && this.uri.endsWith('/');
  }
  /** The URI without an HTTPS query or fragment (a presigned URL's signature is not part of the file name). */
  private get path(): string {
    return this.scheme === 'https' ? this.uri.split(/[?#]/)[0]! : this.uri;
  }
  private get isArchive(): boolean {
    return this.scheme === 'https' && typeof this.uri === 'string' && ARCHIVE.test(this.path);
  }

  public validate(problems: Problems, prop: string): void {
    const pattern = { s3: /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/.+$/, gs: /^gs:\/\/[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]\/.+$/, https: /^https:\/\/[^\s/]+\/\S+$/ }[this.scheme];
    const example = { s3: 's3://bucket/models/fraud/v7/fraud.mar', gs: 'gs://bucket/models/fraud/', https: 'https://models.example.com/fraud-v7.mar' }[this.scheme];
    let urlOk = typeof this.uri === 'string' && pattern.test(this.uri);
    if (urlOk && this.scheme === 'https') {
      try {
        new URL(this.uri);
      } catch {
        urlOk = false;
      }
    }
    if (!urlOk) problems.add(`${prop}.uri`, this.uri, `expected a ${this.scheme}:// URL such as "${example}"`);
    if (this.sha256 === undefined && this.requireSha) {
      problems.add(`${prop}.sha256`, undefined, 'expected the SHA-256 of the file (64 lowercase hex digits): HTTPS artifacts must be pinned to their contents');
    } else if (this.sha256 !== undefined && !(typeof this.sha256 === 'string' && SHA256.test(this.sha256))) {
      problems.add(`${prop}.sha256`, this.sha256, 'expected 64 lowercase hex digits');
    } else if (this.sha256 !== undefined && urlOk && this.isPrefix) {
      problems.add(`${prop}.sha256`, this.sha256, 'expected no sha256 for a prefix (a URL ending in "/"): a checksum pins a single object');
    }
    this.validateFetch(problems, prop);
  }

  protected modelPath(): string {
    return this.isPrefix || this.isArchive ? MODEL_MOUNT_PATH : `${MODEL_MOUNT_PATH}/${baseName(this.path)}`;
  }
  protected sourceUrl(): string {
    return this.uri;
  }
  protected defaultImage(): string {
    return FETCH_IMAGES[this.scheme];
  }
  protected override peakFactor(): number {
    return this.isArchive ? 2 : 1;
  }

  protected script(): string[] {
    const target = this.modelPath();
    switch (this.scheme) {
      case 's3':
        return this.isPrefix
          ? [shellCommand(['aws', 's3', 'sync', '--only-show-errors', this.uri, `${MODEL_MOUNT_PATH}/`])]
          : [shellCommand(['aws', 's3', 'cp', '--only-show-errors', this.uri, target]), ...verifyScript(this.sha256, target)];
      case 'gs':
        return this.isPrefix
          ? [shellCommand(['gcloud', 'storage', 'rsync', '--recursive', this.uri, `${MODEL_MOUNT_PATH}/`])]
          : [shellCommand(['gcloud', 'storage', 'cp', this.uri, target]), ...verifyScript(this.sha256, target)];
      case 'https': {
        const download = `${MODEL_MOUNT_PATH}/.download`;
        const fetch = [shellCommand(['curl', '--fail', '--silent', '--show-error', '--location', '--retry', '5', '--retry-connrefused', '--output', download, this.uri]), ...verifyScript(this.sha256, download)];
        return this.isArchive
          ? [...fetch, shellCommand(['tar', '-xzf', download, '-C', MODEL_MOUNT_PATH]), shellCommand(['rm', download])]
          : [...fetch, shellCommand(['mv', download, target])];
      }
    }
  }
}

class HuggingFaceArtifact extends DownloadingArtifact {
  public constructor(private readonly repo: string, private readonly options: HuggingFaceOptions) {
    super(options ?? ({} as HuggingFaceOptions));
  }
  public validate(problems: Problems, prop: string): void {
    if (typeof this.repo !== 'string' || !/^[A-Za-z0-9][\w.-]{0,95}\/[A-Za-z0-9][\w.-]{0,95}$/.test(this.repo)) {
      problems.add(`${prop}.repo`, this.repo, 'expected a Hugging Face repository id "organization/name"');
    }
    const revision = this.options?.revision;
    if (typeof revision !== 'string' || !/^[a-f0-9]{40}$/.test(revision)) {
      problems.add(`${prop}.revision`, revision, 'expected a commit hash (40 lowercase hex digits): branches and tags such as "main" move');
    }
    this.validateFetch(problems, prop);
  }
  public override toString(): string {
    return `ModelArtifact.fromHuggingFace(${JSON.stringify(this.repo)})`;
  }
  public override get fetchesWithServerImage(): boolean {
    return this.options?.fetchImage === undefined;
  }

  protected modelPath(): string {
    return MODEL_MOUNT_PATH;
  }
  protected sourceUrl(): string {
    return `https://huggingface.co/${this.repo}/tree/${this.options.revision}`;
  }
  protected defaultImage(ctx: ArtifactBindContext): string {
    return ctx.serverImage;
  }
  protected override extraEnv(): EnvVar[] {
    return [
      { name: 'HF_HOME', value: '/tmp/hf' },
      { name: 'HF_HUB_DISABLE_TELEMETRY', value: '1' },
    ];
  }
  protected script(): string[] {
    return [shellCommand(['huggingface-cli', 'download', this.repo, '--revision', this.options.revision, '--local-dir', MODEL_MOUNT_PATH])];
  }
}
