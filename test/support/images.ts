/**
 * The fixture model directories and the temporary directories both image test suites work in:
 * test/core/build/images (the builder on its own) and test/core/images (through the render).
 * One module so both build the same fixtures the same way.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ModelDirectoryOptions } from '../../lib/core';
import type { RuntimeKind } from './fixtures';

/** The fixture model directories, one per runtime (see test/core/build/fixtures/models/SOURCES.md). */
export const MODELS = path.join(__dirname, '..', 'core', 'build', 'fixtures', 'models');

/** The fixture directory of a runtime. */
export const fixtureDir = (kind: RuntimeKind): string => path.join(MODELS, kind);

/** The base image the custom runtime's images are built FROM in these tests (pinned). */
export const CUSTOM_BASE = 'python:3.12.8-slim-bookworm';

/** Where each runtime's image is pushed in these tests. */
export const repositoryFor = (kind: RuntimeKind): string => `registry.example.com/ml/${kind}`;

/** The TorchServe archive options of a fixture build. */
export type TorchServeArchive = NonNullable<ModelDirectoryOptions['archive']>;

/**
 * Options that build a runtime's fixture: the repository, plus `archive` (TorchServe) or the
 * pinned base image (custom), then `extra`. The archive is a parameter because the builder's
 * tests pack every file of the fixture while the render's tests pack only handler and weights.
 */
export function fixtureOptions(kind: RuntimeKind, archive: TorchServeArchive, extra: Partial<ModelDirectoryOptions> = {}): ModelDirectoryOptions {
  return {
    repository: repositoryFor(kind),
    ...(kind === 'torchserve' ? { archive } : {}),
    ...(kind === 'custom' ? { baseImage: CUSTOM_BASE } : {}),
    ...extra,
  };
}

const temporary: string[] = [];

/** A fresh temporary directory, removed after the test file. */
export function temporaryDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelship-images-'));
  temporary.push(dir);
  return dir;
}

/** A temporary copy of a runtime's fixture (file modes kept), removed after the test file. */
export function copyOfFixture(kind: RuntimeKind): string {
  const target = path.join(temporaryDir(), kind);
  fs.cpSync(fixtureDir(kind), target, { recursive: true });
  return target;
}

/** Writes `files` (relative path → contents) into `dir`, creating directories. */
export function writeFiles(dir: string, files: Record<string, string | Buffer>): void {
  for (const [rel, data] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), data);
  }
}

// Jest loads this module once per test file, so each file removes only the directories it made.
afterAll(() => {
  for (const dir of temporary.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
