import type { ModelDirectoryOptions } from './build/options';
import { Problems } from './errors';

/**
 * A reference split into its parts. Tags and digests are what make a deployment reproducible,
 * so both are parsed and checked rather than passed through as an opaque string.
 */
export interface ImageReference {
  /** Everything before the tag or digest, e.g. `ghcr.io/acme/fraud`. */
  readonly repository: string;
  /** The tag, if any. */
  readonly tag?: string;
  /** The digest (`sha256:…`), if any. */
  readonly digest?: string;
}

/** Parses `repo[:tag][@digest]`; the registry port (`host:5000/x`) is not mistaken for a tag. */
export function parseImageReference(ref: string): ImageReference {
  const at = ref.indexOf('@');
  const digest = at >= 0 ? ref.slice(at + 1) : undefined;
  const rest = at >= 0 ? ref.slice(0, at) : ref;
  const colon = rest.lastIndexOf(':');
  const hasTag = colon > rest.lastIndexOf('/');
  return {
    repository: hasTag ? rest.slice(0, colon) : rest,
    ...(hasTag ? { tag: rest.slice(colon + 1) } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

const REPOSITORY = /^[a-z0-9]+([._-][a-z0-9]+|__)*(:[0-9]+)?(\/[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*)*$|^[a-zA-Z0-9.-]+(:[0-9]+)?(\/[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*)+$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** Checks a reference: well formed, and pinned by a tag other than `latest` or by a digest. */
export function validateImageReference(ref: unknown, problems: Problems, prop: string): void {
  if (typeof ref !== 'string' || ref.length === 0) {
    problems.add(prop, ref, 'expected an image reference such as "registry.example.com/team/model:1.4.2" or "repo@sha256:<64 hex>"');
    return;
  }
  const { repository, tag, digest } = parseImageReference(ref);
  if (!REPOSITORY.test(repository)) {
    problems.add(prop, ref, 'expected a repository of lowercase letters, digits and separators, with an optional registry host');
  }
  if (digest !== undefined && !DIGEST.test(digest)) {
    problems.add(prop, ref, 'expected a digest of the form sha256:<64 lowercase hex digits>');
  }
  if (tag !== undefined && !TAG.test(tag)) {
    problems.add(prop, ref, 'expected a tag of at most 128 letters, digits, "_", "." and "-", not starting with "." or "-"');
  }
  if (tag === undefined && digest === undefined) {
    problems.add(prop, ref, 'expected a pinned image: add a version tag (not "latest") or a digest; an untagged image means "latest"');
  } else if (tag === 'latest' && digest === undefined) {
    problems.add(prop, ref, 'expected a pinned image: "latest" changes under a running Deployment; use a version tag or a digest');
  }
}

/**
 * The container image a model server runs.
 *
 * Use {@link ModelImage.fromRegistry} for an image that already exists. Every runtime has a
 * pinned default, so most services never set one.
 */
export abstract class ModelImage {
  /**
   * An image already pushed to a registry. It must be pinned: a tag other than `latest`, or a
   * digest (`repo@sha256:…`, preferred for production).
   */
  public static fromRegistry(reference: string): ModelImage {
    return new RegistryImage(reference);
  }

  /**
   * An image modelship builds from a local model directory, for the runtime that uses it: a
   * generated Dockerfile and build context (TorchServe: a `.mar` packed by modelship; TF Serving:
   * SavedModel version directories; Triton: a checked model repository; vLLM: a Hugging Face
   * snapshot; custom: your server and weights on your base image), tagged with the content
   * hash of the context. The model is baked in, so the runtime needs no `model`.
   *
   * @param directory the model directory, relative to the working directory of the synth
   */
  public static fromModelDirectory(directory: string, options: ModelDirectoryOptions): ModelImage {
    return new DirectoryImage(directory, options);
  }

  /**
   * The reference the Deployment's container will use, for images that exist already;
   * `undefined` for images modelship builds, whose tag is the content hash of their context.
   */
  public abstract readonly reference: string | undefined;

  /** For images built from a model directory: the directory and its options. */
  public abstract readonly modelDirectory: { readonly directory: string; readonly options: ModelDirectoryOptions } | undefined;

  /** Records problems with this image under `prop`. */
  public abstract validate(problems: Problems, prop: string): void;
}

/** Records a problem unless `image` is undefined or a valid {@link ModelImage}. */
export function checkImage(problems: Problems, prop: string, image: unknown): void {
  if (image === undefined) return;
  if (image instanceof ModelImage) image.validate(problems, prop);
  else problems.add(prop, image, 'expected ModelImage.fromRegistry("<repository>:<version>") or ModelImage.fromRegistry("<repository>@sha256:<digest>")');
}

class RegistryImage extends ModelImage {
  public readonly modelDirectory = undefined;
  public constructor(public readonly reference: string) {
    super();
  }
  public validate(problems: Problems, prop: string): void {
    validateImageReference(this.reference, problems, prop);
  }
}

class DirectoryImage extends ModelImage {
  public readonly reference = undefined;
  public readonly modelDirectory: { readonly directory: string; readonly options: ModelDirectoryOptions };
  public constructor(directory: string, options: ModelDirectoryOptions) {
    super();
    this.modelDirectory = { directory, options };
  }
  /** The directory and options are checked when the context is built, which knows the runtime. */
  public validate(problems: Problems, prop: string): void {
    if (typeof this.modelDirectory.directory !== 'string' || this.modelDirectory.directory.length === 0) {
      problems.add(`${prop}.directory`, this.modelDirectory.directory, 'expected the path of a model directory');
    }
  }
}
