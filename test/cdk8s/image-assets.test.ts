import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { BAKE_FILE, IMAGES_DIR, ImageAssets, ModelImage, ModelService, Runtime } from '../../lib';
import { MINIMAL_PROPS } from '../support/fixtures';

const MODELS = path.join(__dirname, '../core/build/fixtures/models');

function tfServingFromDirectory(repository = 'registry.example.com/ml/ranker') {
  return { runtime: Runtime.tensorflowServing({ image: ModelImage.fromModelDirectory(path.join(MODELS, 'tfserving'), { repository }) }) };
}

const outdirs: string[] = [];
afterAll(() => outdirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function tempApp(): App {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelship-assets-'));
  outdirs.push(outdir);
  return new App({ outdir });
}

describe('image assets at synth', () => {
  test('each built image is written to images/<name>/ with the bytes and modes its tag hashes, and bake builds them all', () => {
    const app = tempApp();
    const chart = new Chart(app, 'serving');
    const ranker = new ModelService(chart, 'ranker', tfServingFromDirectory());
    new ModelService(chart, 'fraud', MINIMAL_PROPS.torchserve());
    const build = ranker.imageBuild!;
    expect(fs.existsSync(path.join(app.outdir, IMAGES_DIR))).toBe(false); // nothing written at construction

    app.synth();

    for (const file of build.files) {
      const written = path.join(app.outdir, IMAGES_DIR, 'ranker', file.path);
      expect(fs.readFileSync(written).equals(file.data)).toBe(true);
      expect(fs.statSync(written).mode & 0o777).toBe(file.mode);
    }
    // Only the service built from a directory has a context.
    expect(fs.readdirSync(path.join(app.outdir, IMAGES_DIR))).toEqual(['ranker']);
    expect(JSON.parse(fs.readFileSync(path.join(app.outdir, BAKE_FILE), 'utf8'))).toEqual({
      group: { default: { targets: ['ranker'] } },
      target: { ranker: { context: 'images/ranker', dockerfile: 'Dockerfile', tags: [build.reference] } },
    });
    const manifest = fs.readFileSync(path.join(app.outdir, 'serving.k8s.yaml'), 'utf8');
    expect(manifest).toContain(`image: ${build.reference}`);
  });

  test('a second synth clears images of services that no longer exist', () => {
    const app = tempApp();
    fs.mkdirSync(path.join(app.outdir, IMAGES_DIR, 'removed'), { recursive: true });
    new ModelService(new Chart(app, 'serving'), 'ranker', tfServingFromDirectory());
    app.synth();
    expect(fs.readdirSync(path.join(app.outdir, IMAGES_DIR))).toEqual(['ranker']);
  });

  test('two services building an image of the same name in one app fail the synth, naming both', () => {
    const app = tempApp();
    new ModelService(new Chart(app, 'a', { namespace: 'a' }), 'ranker', tfServingFromDirectory());
    new ModelService(new Chart(app, 'b', { namespace: 'b' }), 'ranker', tfServingFromDirectory('registry.example.com/ml/other'));
    expect(() => app.synth()).toThrow(/a\/ranker and b\/ranker both build an image named "ranker" into images\/ranker/);
  });

  test('one ImageAssets per app, shared by every chart', () => {
    const app = tempApp();
    const a = new ModelService(new Chart(app, 'a'), 'one', MINIMAL_PROPS.custom());
    const b = new ModelService(new Chart(app, 'b'), 'two', MINIMAL_PROPS.custom());
    expect(ImageAssets.of(a)).toBe(ImageAssets.of(b));
    expect(ImageAssets.of(a).builds).toEqual([]);
  });
});
