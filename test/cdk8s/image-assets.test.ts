import * as fs from 'fs';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { Accelerator, BAKE_FILE, COMPOSE_FILE, IMAGES_DIR, ImageAssets, ModelImage, ModelService, Runtime } from '../../lib';
import { composeSchemaErrors } from '../core/compose/compose-schema';
import { MINIMAL_PROPS } from '../support/fixtures';
import { tempApp } from '../support/temp-app';

const MODELS = path.join(__dirname, '../core/build/fixtures/models');

function tfServingFromDirectory(repository = 'registry.example.com/ml/ranker') {
  return { runtime: Runtime.tensorflowServing({ image: ModelImage.fromModelDirectory(path.join(MODELS, 'tfserving'), { repository }) }) };
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

  test('compose.yaml runs every service side by side, validates against the Compose specification, and names what it skips', () => {
    const app = tempApp();
    const chart = new Chart(app, 'serving');
    new ModelService(chart, 'ranker', tfServingFromDirectory());
    new ModelService(chart, 'fraud', MINIMAL_PROPS.torchserve());
    new ModelService(chart, 'scorer', MINIMAL_PROPS.custom());
    new ModelService(chart, 'sliced', { ...MINIMAL_PROPS.triton(), accelerator: Accelerator.nvidiaGpu({ migProfile: '1g.10gb' }) });
    ImageAssets.of(app).writeCompose = true;
    app.synth();

    const compose = JSON.parse(fs.readFileSync(path.join(app.outdir, COMPOSE_FILE), 'utf8'));
    expect(composeSchemaErrors(compose)).toEqual([]);
    expect(Object.keys(compose.services).filter((s) => !s.includes('-'))).toEqual(['fraud', 'ranker', 'scorer']);
    expect(compose['x-modelship-skipped']).toEqual({ sliced: 'requests nvidia.com/mig-1g.10gb: Compose reserves whole GPUs only, not MIG slices' });
    // The built image is built from its context; the others are pulled.
    expect(compose.services.ranker.build).toEqual({ context: 'images/ranker', dockerfile: 'Dockerfile' });
    expect(compose.services.fraud.build).toBeUndefined();
    // Every published host port is distinct, so the services run side by side.
    const hostPorts = Object.values(compose.services as Record<string, { ports?: string[] }>).flatMap((s) => (s.ports ?? []).map((p) => p.split(':')[1]));
    expect(new Set(hostPorts).size).toBe(hostPorts.length);
    expect(compose.services.ranker.ports).toEqual(['127.0.0.1:8501:8501/tcp', '127.0.0.1:8500:8500/tcp']);
    expect(compose.services.scorer.ports).toEqual(['127.0.0.1:8180:8080/tcp']);
  });

  test('without writeCompose (the default) no Compose file is written', () => {
    const app = tempApp();
    new ModelService(new Chart(app, 'serving'), 'fraud', MINIMAL_PROPS.torchserve());
    expect(ImageAssets.of(app).writeCompose).toBe(false);
    app.synth();
    expect(fs.existsSync(path.join(app.outdir, COMPOSE_FILE))).toBe(false);
  });
});
