/**
 * Rebuilds with buildah's layer cache, on library-generated contexts: change only a code file
 * of a model directory and the rebuild reuses the weights layer (the reason weights get a layer
 * of their own, before code and config), while the content-hash tag changes.
 *
 * Uses a temporary copy of examples/models/churn built FROM a STAND-IN for its python base (the
 * suite's Debian python3 base tagged as python:3.11.11-slim-bookworm).
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RenderedModelService } from '../../lib/core';
import { PYTHON_BASE, buildContext, inspectConfig, removeImages, writeContextFiles } from './support/containers';
import { EXAMPLE_MODELS, renderExample } from './support/example-models';
import { parseBuildLog } from './support/layers';
import { tagStandInsFor } from './support/stand-ins';

let work: string;
let standIns: string[] = [];
const built: string[] = [];

beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'modelship-e2e-rebuild-'));
  await fs.cp(path.join(EXAMPLE_MODELS, 'churn'), path.join(work, 'models', 'churn'), { recursive: true });
});

afterAll(async () => {
  // Removing the changed image also removes the intermediate images only it used; the original
  // (shared with custom-runtime.e2e.test.ts) stays as the next run's cache.
  await removeImages(...built);
  await removeImages(...standIns);
  if (work) await fs.rm(work, { recursive: true, force: true });
});

async function buildRendered(rendered: RenderedModelService, name: string) {
  const dir = path.join(work, 'contexts', name);
  await writeContextFiles(rendered.imageBuild!.files, dir);
  standIns = await tagStandInsFor(rendered.imageBuild!.dockerfile, PYTHON_BASE);
  return buildContext(dir, rendered.imageBuild!.reference);
}

describe('rebuild after a code change (custom runtime, churn model, python stand-in base)', () => {
  test('reuses the cached weights layer, copies the code again, and changes the tag', async () => {
    const models = path.join(work, 'models');
    const before = renderExample('churn', models);
    const first = await buildRendered(before, 'before');

    // A code change only: a comment in server.py, unique per run so the code layer is never cached.
    const server = path.join(models, 'churn', 'server.py');
    await fs.appendFile(server, `\n# rebuild-cache e2e ${process.pid}-${Date.now()}\n`);
    const after = renderExample('churn', models);
    expect(after.imageBuild!.tag).not.toBe(before.imageBuild!.tag);
    expect(after.imageBuild!.dockerfile).toBe(before.imageBuild!.dockerfile);
    const changed = after.imageBuild!.files.filter((f) => !before.imageBuild!.files.some((g) => g.path === f.path && g.data.equals(f.data))).map((f) => f.path);
    expect(changed).toEqual(['code/server.py']);

    const second = await buildRendered(after, 'after');
    built.push(after.imageBuild!.reference);
    expect(second.imageId).not.toBe(first.imageId);

    const steps = parseBuildLog(second.log);
    const weights = steps.find((s) => /^COPY weights\/ /.test(s.instruction));
    const code = steps.find((s) => /^COPY code\/ /.test(s.instruction));
    expect(weights).toMatchObject({ cached: true });
    expect(code).toMatchObject({ cached: false });
    // Every step before the code (after FROM) is cached; every step from the code on is rebuilt.
    const codeIndex = steps.indexOf(code!);
    expect(steps[0]!.instruction).toMatch(/^FROM /);
    expect(steps.slice(1, codeIndex).every((s) => s.cached)).toBe(true);
    expect(steps.slice(codeIndex).some((s) => s.cached)).toBe(false);

    // The two images share the base and weights layers and differ from the code layer on.
    const [a, b] = [await inspectConfig(before.imageBuild!.reference), await inspectConfig(after.imageBuild!.reference)];
    const layersA = (a.raw as { rootfs?: { diff_ids?: string[] } }).rootfs?.diff_ids ?? [];
    const layersB = (b.raw as { rootfs?: { diff_ids?: string[] } }).rootfs?.diff_ids ?? [];
    const base = ((await inspectConfig(PYTHON_BASE)).raw as { rootfs?: { diff_ids?: string[] } }).rootfs?.diff_ids ?? [];
    expect(layersA).toHaveLength(base.length + 2);
    expect(layersB).toHaveLength(base.length + 2);
    expect(layersB.slice(0, base.length + 1)).toEqual(layersA.slice(0, base.length + 1));
    expect(layersB[base.length + 1]).not.toBe(layersA[base.length + 1]);
    console.log(`rebuild after a code change: ${second.ms} ms (first build ${first.ms} ms)`);
  });
});
