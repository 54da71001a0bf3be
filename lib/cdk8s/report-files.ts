import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { oncePerSynth } from './once-per-synth';

/** Folder (under the app's outdir) that holds the synth-time reports. */
export const REPORTS_DIR = 'reports';

interface ReportFile {
  readonly owner: string;
  readonly render: () => string;
}

/**
 * The reports a synth writes beside the manifests (`reports/<file>`): what the autoscalers
 * do and why, and whether the models fit the cluster. One per app, created by the first
 * construct that adds a report. The files are rendered and written once when the app
 * synthesizes (after every construct exists, so a report can cover all of them), never at
 * construction.
 */
export class ReportFiles extends Construct {
  /** The app's ReportFiles, created on first use. */
  public static of(scope: IConstruct): ReportFiles {
    const app = App.of(scope);
    return (app.node.tryFindChild(ReportFiles.ID) as ReportFiles | undefined) ?? new ReportFiles(app, ReportFiles.ID);
  }

  private static readonly ID = 'modelship-reports';
  private readonly files = new Map<string, ReportFile>();

  private constructor(private readonly app: App, id: string) {
    super(app, id);
    this.node.addValidation({ validate: oncePerSynth(app, () => this.write()) });
  }

  /**
   * Adds a report, rendered at synth.
   * @param fileName the file's name under `reports/`, e.g. `capacity-prod.md`
   * @param owner the construct path that owns it, quoted when two constructs claim one name
   * @param render returns the file's content
   */
  public add(fileName: string, owner: string, render: () => string): void {
    const existing = this.files.get(fileName);
    if (existing) {
      throw new Error(`modelship: ${owner} and ${existing.owner} both write ${REPORTS_DIR}/${fileName}; give one of them another name`);
    }
    this.files.set(fileName, { owner, render });
  }

  /** The names of the report files added so far, in the order they were added. */
  public get fileNames(): string[] {
    return [...this.files.keys()];
  }

  /** Renders one report, as it will be written. */
  public render(fileName: string): string | undefined {
    return this.files.get(fileName)?.render();
  }

  private write(): string[] {
    const dir = path.join(this.app.outdir, REPORTS_DIR);
    // The folder is modelship's own: clear it so reports of removed constructs do not linger.
    fs.rmSync(dir, { recursive: true, force: true });
    if (this.files.size === 0) return [];
    fs.mkdirSync(dir, { recursive: true });
    for (const [name, file] of this.files) fs.writeFileSync(path.join(dir, name), file.render());
    return [];
  }
}
