import * as path from 'path';
import * as pulumi from '@pulumi/pulumi';
import type { ImageBuildContext } from '../core/build/context';

/** Writing a context is the core's (both front ends do it the same way); re-exported for this entry. */
export { writeImageContext } from '../core/build/write-context';

/**
 * Where build contexts are written, relative to the working directory of the Pulumi program:
 * `.modelship/images/<resource name>/` (the resource name is unique in a stack, so two services
 * never share a folder). Add `.modelship/` to `.gitignore`; every run rewrites what changed.
 */
export const IMAGE_CONTEXT_ROOT = path.join('.modelship', 'images');

/** Credentials for a registry the image is pushed to (docker-build's `registries`). */
export interface RegistryCredentials {
  /** The registry's host, e.g. `123456789012.dkr.ecr.eu-west-1.amazonaws.com`. */
  readonly address: pulumi.Input<string>;
  /**
   * User name.
   * @default - none
   */
  readonly username?: pulumi.Input<string>;
  /**
   * Password or token (pass a secret).
   * @default - none
   */
  readonly password?: pulumi.Input<string>;
}

/** How a Pulumi ModelService builds and pushes an image made from a model directory. */
export interface ImageBuildOptions {
  /**
   * Folder the build context is written to (relative paths are relative to the working directory).
   * @default - `.modelship/images/<resource name>` ({@link IMAGE_CONTEXT_ROOT})
   */
  readonly contextDirectory?: string;
  /**
   * Credentials for pushing.
   * @default - the Docker credentials of the machine running Pulumi
   */
  readonly registries?: pulumi.Input<RegistryCredentials>[];
  /**
   * Platforms to build for, e.g. `["linux/amd64"]` when building on an arm64 laptop for amd64 nodes.
   * @default - the builder's own platform
   */
  readonly platforms?: string[];
}

/** The `@pulumi/docker-build` Image a ModelService registers: a resource with the pushed digest. */
export interface BuiltImage extends pulumi.CustomResource {
  /** The pushed image's digest, `sha256:<64 hex>`. */
  readonly digest: pulumi.Output<string>;
}

/** The folder a service's build context goes to: `contextDirectory`, or `.modelship/images/<resourceName>`. */
export function imageContextDirectory(resourceName: string, options: ImageBuildOptions = {}): string {
  return options.contextDirectory ?? path.join(IMAGE_CONTEXT_ROOT, resourceName);
}


/**
 * The inputs of the `@pulumi/docker-build` Image that builds `build` from `directory` and pushes
 * it under its content-hash tag. Paths stay relative when the directory is under the working
 * directory, so the stack's state does not change between machines.
 */
export function dockerBuildImageArgs(build: ImageBuildContext, directory: string, options: ImageBuildOptions = {}): pulumi.Inputs {
  const relative = path.relative(process.cwd(), path.resolve(directory));
  const location = relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : path.resolve(directory);
  return {
    context: { location },
    dockerfile: { location: path.join(location, 'Dockerfile') },
    push: true,
    tags: [build.reference],
    ...(options.registries ? { registries: options.registries } : {}),
    ...(options.platforms ? { platforms: options.platforms } : {}),
  };
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;

/**
 * `repository@digest`, the immutable reference of a pushed image (never the mutable tag).
 *
 * The digest is unknown in a preview that has not pushed yet; then so is the reference. Fails if
 * an update yields no digest (the image was not pushed).
 */
export function digestReference(repository: string, digest: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.output(digest).apply((d) => {
    if (DIGEST.test(d ?? '')) return `${repository}@${d}`;
    if (pulumi.runtime.isDryRun()) return pulumi.unknown as unknown as string;
    throw new Error(`modelship: the image for ${repository} has no pushed digest (got ${JSON.stringify(d)}); it must be pushed to a registry before the Deployment can pin it`);
  });
}

/** Registers the docker-build Image; `@pulumi/docker-build` is an optional peer loaded only here. */
export function registerImage(name: string, args: pulumi.Inputs, opts: pulumi.CustomResourceOptions): BuiltImage {
  let dockerBuild: { Image: new (name: string, args: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) => BuiltImage };
  try {
    // A static import would make every Pulumi user install docker-build, even without images to build.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    dockerBuild = require('@pulumi/docker-build');
  } catch (error) {
    throw new Error(`modelship: ${name} builds an image from a model directory, which needs the package @pulumi/docker-build (npm install @pulumi/docker-build): ${(error as Error).message}`);
  }
  return new dockerBuild.Image(name, args, opts);
}
