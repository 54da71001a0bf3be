import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { ImageBuildContext } from '../core/build/context';
import { writeImageContext } from '../core/build/write-context';
import { composeUnsupportedReason, placeHostPorts } from '../core/compose/host-ports';
import { DEFAULT_COMPOSE_CONFIG_DIR, renderCompose } from '../core/compose/render-compose';
import { RenderedModelService } from '../core/service/render';
import { oncePerSynth } from './once-per-synth';

/** Folder (under the app's outdir) that holds one build context per image. */
export const IMAGES_DIR = 'images';
/** The Buildx bake file written beside the manifests. */
export const BAKE_FILE = 'docker-bake.json';
/**
 * The Compose file for running the stack locally, written as JSON: valid YAML for every
 * Compose version, and free of YAML 1.1's surprises (`1000:1000` read as a number).
 */
export const COMPOSE_FILE = 'compose.yaml';

/**
 * The files a synth writes besides the manifests: every image build context under
 * `images/<name>/`, a `docker-bake.json` that builds and tags them all (so a CI job can run
 * `cd dist && docker buildx bake --push`), and, when {@link ImageAssets.writeCompose} is set, a
 * `compose.yaml` that runs every service locally from the same images, ports, environment, user
 * and probes (`cd dist && docker compose up`).
 *
 * One per app, created by the first ModelService that needs it. It writes when the app
 * synthesizes (cdk8s runs every construct's validations then), never at construction.
 */
export class ImageAssets extends Construct {
  /** The app's ImageAssets, created on first use. */
  public static of(scope: IConstruct): ImageAssets {
    const app = App.of(scope);
    return (app.node.tryFindChild(ImageAssets.ID) as ImageAssets | undefined) ?? new ImageAssets(app, ImageAssets.ID);
  }

  private static readonly ID = 'modelship-image-assets';
  private readonly services: { path: string; rendered: RenderedModelService }[] = [];

  /**
   * Write `compose.yaml` (and its `config/` files) at synth. Off by default: deriving it costs
   * about a third of a large stack's synth time, for a file only local runs need.
   * @default false
   */
  public writeCompose = false;

  private constructor(private readonly app: App, id: string) {
    super(app, id);
    this.node.addValidation({ validate: oncePerSynth(app, () => this.write()) });
  }

  /** Registers a service whose image (if built) and local-run definition are written at synth. */
  public register(constructPath: string, rendered: RenderedModelService): void {
    this.services.push({ path: constructPath, rendered });
  }

  /** Every build context registered so far, in registration order. */
  public get builds(): ImageBuildContext[] {
    return this.services.flatMap((s) => (s.rendered.imageBuild ? [s.rendered.imageBuild] : []));
  }

  /** The bake file's content: one target per image, tagged with its content hash. */
  public bakeFile(): Record<string, unknown> {
    const builds = this.builds;
    return {
      group: { default: { targets: builds.map((b) => b.name) } },
      target: Object.fromEntries(
        builds.map((b) => [b.name, { context: `${IMAGES_DIR}/${b.name}`, dockerfile: 'Dockerfile', tags: [b.reference] }]),
      ),
    };
  }

  /** Writes the contexts and the bake file; returns problems as validation errors rather than throwing mid-synth. */
  private write(): string[] {
    const byName = new Map<string, string[]>();
    for (const s of this.services) if (s.rendered.imageBuild) byName.set(s.rendered.imageBuild.name, [...(byName.get(s.rendered.imageBuild.name) ?? []), s.path]);
    const clashes = [...byName].filter(([, paths]) => paths.length > 1);
    if (clashes.length > 0) {
      return clashes.map(([name, paths]) => `modelship: ${paths.join(' and ')} both build an image named "${name}" into ${IMAGES_DIR}/${name}; give one of them another name`);
    }
    const outdir = this.app.outdir;
    // The folders are modelship's own: clear them so files of removed services do not linger.
    fs.rmSync(path.join(outdir, IMAGES_DIR), { recursive: true, force: true });
    fs.rmSync(path.join(outdir, DEFAULT_COMPOSE_CONFIG_DIR), { recursive: true, force: true });
    for (const build of this.builds) writeImageContext(path.join(outdir, IMAGES_DIR, build.name), build);
    fs.mkdirSync(outdir, { recursive: true });
    if (this.builds.length > 0) fs.writeFileSync(path.join(outdir, BAKE_FILE), `${JSON.stringify(this.bakeFile(), null, 2)}\n`);
    if (this.writeCompose) this.writeComposeFiles(outdir);
    return [];
  }

  /**
   * The Compose project for every service that can run under Compose, each on its own host
   * ports; services that cannot (MIG slices) are listed under `x-modelship-skipped` with why.
   */
  public composeFile(): { compose: Record<string, unknown>; files: { path: string; content: string }[] } {
    const rendered = this.services.map((s) => s.rendered);
    const runnable = rendered.filter((r) => composeUnsupportedReason(r) === undefined);
    const { offsets, unplaced } = placeHostPorts(runnable);
    const local = runnable.filter((r) => !unplaced.includes(r.name));
    const skipped = Object.fromEntries([
      ...rendered.flatMap((r) => {
        const reason = composeUnsupportedReason(r);
        return reason ? [[r.name, reason]] : [];
      }),
      ...unplaced.map((name) => [name, 'no free host ports: too many services publish the same ports to run them all on one host']),
    ]);
    const project = renderCompose(local, { imagesDir: IMAGES_DIR, hostPortOffset: offsets });
    const compose = { ...project.compose, ...(Object.keys(skipped).length ? { 'x-modelship-skipped': skipped } : {}) } as Record<string, unknown>;
    return { compose, files: project.files.map((f) => ({ path: f.path, content: f.content })) };
  }

  private writeComposeFiles(outdir: string): void {
    if (this.services.length === 0) return;
    const { compose, files } = this.composeFile();
    fs.writeFileSync(path.join(outdir, COMPOSE_FILE), `${JSON.stringify(compose, null, 2)}\n`);
    for (const file of files) {
      const target = path.join(outdir, ...file.path.split('/'));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, file.content);
    }
  }
}
