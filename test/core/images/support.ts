/**
 * Helpers of the tests that render services whose server image is built from a model directory
 * (`ModelImage.fromModelDirectory`): props per runtime over the fixture model directories, the
 * image's file system as the generated Dockerfile lays it out (fixtures and temporary directories
 * come from test/support/images).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Accelerator, ModelImage, Runtime, type ContextFile, type ImageBuildContext, type ModelDirectoryOptions, type ModelServiceProps, type RenderedModelService } from '../../../lib/core';
import type { RuntimeKind } from '../../support/fixtures';
import { fixtureDir, fixtureOptions } from '../../support/images';

/** The custom fixture's server, started from the model path. */
export const CUSTOM_COMMAND = ['python3', '/models/server.py'];

/** The TorchServe fixture's archive: handler and weights (the other files have their own tests). */
export const TORCHSERVE_ARCHIVE = { handler: 'handler.py', serializedFile: 'weights.pt', modelFile: 'model.py' };

/** Options that build a runtime's fixture, packing only handler and weights for TorchServe. */
export function directoryOptions(kind: RuntimeKind, extra: Partial<ModelDirectoryOptions> = {}): ModelDirectoryOptions {
  return fixtureOptions(kind, TORCHSERVE_ARCHIVE, extra);
}

/** A directory image of a runtime's fixture (or of `directory`). */
export function directoryImage(kind: RuntimeKind, extra: Partial<ModelDirectoryOptions> = {}, directory = fixtureDir(kind)): ModelImage {
  return ModelImage.fromModelDirectory(directory, directoryOptions(kind, extra));
}

/** Runtime options beyond the image, per runtime. */
type RuntimeOptions = Record<string, unknown>;

/**
 * Service props whose server image is built from `image` and that name no model. vLLM gets the
 * GPU and resources it needs; the custom runtime starts the fixture's server.
 */
export function directoryProps(kind: RuntimeKind, image: ModelImage = directoryImage(kind), options: RuntimeOptions = {}): ModelServiceProps {
  switch (kind) {
    case 'torchserve':
      return { runtime: Runtime.torchServe({ image, ...options }) };
    case 'tfserving':
      return { runtime: Runtime.tensorflowServing({ image, ...options }) };
    case 'triton':
      return { runtime: Runtime.triton({ image, ...options }) };
    case 'vllm':
      return { runtime: Runtime.vllm({ image, ...options }), accelerator: Accelerator.nvidiaGpu(), resources: { cpu: '4', memory: '32Gi' } };
    case 'custom':
      return { runtime: Runtime.custom({ image, command: CUSTOM_COMMAND, ...options }) };
  }
}

/** The image build of a rendered service; fails the test when there is none. */
export function imageBuildOf(rendered: RenderedModelService): ImageBuildContext {
  expect(rendered.imageBuild).toBeDefined();
  return rendered.imageBuild!;
}

/** The context's files by path. */
export function contextFiles(build: ImageBuildContext): Map<string, ContextFile> {
  return new Map(build.files.map((f) => [f.path, f]));
}

/** One instruction of a generated Dockerfile: keyword and raw arguments. */
export interface DockerInstruction {
  readonly keyword: string;
  readonly args: string;
}

/** The Dockerfile's instructions (comments and blank lines left out; generated files never continue lines). */
export function instructions(build: ImageBuildContext): DockerInstruction[] {
  return build.dockerfile
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => {
      const space = line.indexOf(' ');
      return { keyword: line.slice(0, space), args: line.slice(space + 1) };
    });
}

/** The exec-form arguments of the single `keyword` instruction (ENTRYPOINT, CMD), or undefined when there is none. */
export function execArgs(build: ImageBuildContext, keyword: 'ENTRYPOINT' | 'CMD'): string[] | undefined {
  const found = instructions(build).filter((i) => i.keyword === keyword);
  expect(found.length).toBeLessThanOrEqual(1);
  return found[0] ? (JSON.parse(found[0].args) as string[]) : undefined;
}

/** The `COPY` instructions as [source, destination] pairs (plain or JSON form). */
export function copies(build: ImageBuildContext): [string, string][] {
  return instructions(build)
    .filter((i) => i.keyword === 'COPY')
    .map((i) => {
      const parts = i.args.startsWith('[') ? (JSON.parse(i.args) as string[]) : i.args.split(' ');
      expect(parts).toHaveLength(2);
      return [parts[0]!, parts[1]!];
    });
}

/**
 * The files the image gets from its context, by absolute path in the image, as the Dockerfile's
 * `COPY` instructions place them (a source ending in `/` copies a folder's contents into the
 * destination directory; otherwise one file to the destination path). Fails the test when a
 * `COPY` names nothing in the context or two copies land on one path.
 */
export function imageFiles(build: ImageBuildContext): Map<string, ContextFile> {
  const byPath = contextFiles(build);
  const placed = new Map<string, ContextFile>();
  const place = (at: string, file: ContextFile) => {
    expect(placed.has(at)).toBe(false);
    placed.set(at, file);
  };
  for (const [source, destination] of copies(build)) {
    if (source.endsWith('/')) {
      const under = build.files.filter((f) => f.path.startsWith(source));
      expect(under.length).toBeGreaterThan(0);
      const dir = destination.endsWith('/') ? destination : `${destination}/`;
      for (const f of under) place(`${dir}${f.path.slice(source.length)}`, f);
    } else {
      const file = byPath.get(source);
      expect(file).toBeDefined();
      place(destination, file!);
    }
  }
  return placed;
}

/** Every file below `dir`, as paths relative to it (`/`-separated), sorted. */
export function filesBelow(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else out.push(child);
    }
  };
  walk('');
  return out.sort();
}

/**
 * Expects every file of `directory` in the image below `modelPath`, byte for byte, with its
 * mode (0755 when executable, else 0644).
 */
export function expectDirectoryInImage(build: ImageBuildContext, directory: string, modelPath: string): void {
  const placed = imageFiles(build);
  const files = filesBelow(directory);
  expect(files.length).toBeGreaterThan(0);
  for (const rel of files) {
    const abs = path.join(directory, ...rel.split('/'));
    const inImage = placed.get(`${modelPath}/${rel}`);
    expect({ rel, found: inImage !== undefined }).toEqual({ rel, found: true });
    expect(inImage!.data.equals(fs.readFileSync(abs))).toBe(true);
    expect(inImage!.mode).toBe((fs.statSync(abs).mode & 0o111) !== 0 ? 0o755 : 0o644);
  }
}
