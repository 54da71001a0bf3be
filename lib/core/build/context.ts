import { createHash } from 'crypto';
import { EnvVar } from '../k8s-types';
import { RuntimePort, WritablePath } from '../runtime/contract';

/** A file of an image build context. */
export interface ContextFile {
  /** Path inside the context, POSIX separators, no leading `/` or `..`. */
  readonly path: string;
  readonly data: Buffer;
  /** Unix permission bits: 0o644, or 0o755 for executables. */
  readonly mode: number;
}

/**
 * What the service tells an image build about the server that will run it. Everything here is
 * already decided by the runtime, so the image and the Deployment cannot disagree.
 */
export interface ImageBuildTarget {
  /** The service name: the image's name, and its folder under `images/` at synth. */
  readonly name: string;
  /** Runtime kind (`torchserve`, `tfserving`, `triton`, `vllm`, `custom`). */
  readonly runtime: string;
  /** The pinned image to build FROM. */
  readonly baseImage: string;
  /** The uid and gid the server runs as (the image's `USER`). */
  readonly user: { readonly uid: number; readonly gid: number };
  /** Absolute path where the runtime expects the model in the image (a `.mar` file for TorchServe, else a directory). */
  readonly modelPath: string;
  /** Where the runtime's generated config files go (the same path the ConfigMap is mounted at). */
  readonly configPath: string;
  /** The runtime's generated config files, baked in so the image also runs without Kubernetes. */
  readonly configFiles: Readonly<Record<string, string>>;
  /** The server command (the image's ENTRYPOINT), when the runtime sets one. */
  readonly command?: readonly string[];
  /** The server arguments (the image's CMD). */
  readonly args: readonly string[];
  /** Ports to EXPOSE. */
  readonly ports: readonly RuntimePort[];
  /** Plain-value environment variables of the server (ENV). */
  readonly env: readonly EnvVar[];
  /** Directories the server writes (created and owned by the server's user in the image). */
  readonly writablePaths: readonly WritablePath[];
  /** The model version the runtime registers (TorchServe: the `models` key the archive must match). */
  readonly modelVersion?: string;
}

/** A complete, reproducible build context: the same inputs give the same bytes and the same tag. */
export interface ImageBuildContext {
  /** The image name (the service name). */
  readonly name: string;
  /** Runtime kind. */
  readonly runtime: string;
  /** Repository to push to, without a tag. */
  readonly repository: string;
  /** The content hash tag. */
  readonly tag: string;
  /** `repository:tag`, what the Deployment runs. */
  readonly reference: string;
  /** SHA-256 (hex) of every file's path, mode and bytes. */
  readonly contentHash: string;
  /** The Dockerfile's text (also in `files` as `Dockerfile`). */
  readonly dockerfile: string;
  /** Every file of the context, sorted by path, including `Dockerfile` and `.dockerignore`. */
  readonly files: readonly ContextFile[];
}

/** Length of the content-hash tag: 20 hex digits (80 bits) keep collisions out of reach and tags short. */
export const CONTENT_TAG_LENGTH = 20;

/**
 * Hashes a context: for each file in path order, its path, mode, length and bytes, framed so
 * no two different contexts can produce the same stream.
 */
export function hashContext(files: readonly ContextFile[]): string {
  const hash = createHash('sha256');
  for (const file of [...files].sort((a, b) => comparePaths(a.path, b.path))) {
    hash.update(`${file.path}\0${file.mode.toString(8)}\0${file.data.length}\0`);
    hash.update(file.data);
  }
  return hash.digest('hex');
}

/** Orders paths by their UTF-8 bytes, so the order never depends on the locale. */
export function comparePaths(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Assembles a context: sorts the files and derives the content hash and the tag from them. */
export function finalizeContext(fields: { name: string; runtime: string; repository: string; dockerfile: string; files: readonly ContextFile[] }): ImageBuildContext {
  const files = [...fields.files].sort((a, b) => comparePaths(a.path, b.path));
  const contentHash = hashContext(files);
  const tag = contentHash.slice(0, CONTENT_TAG_LENGTH);
  return { ...fields, files, contentHash, tag, reference: `${fields.repository}:${tag}` };
}
