import * as fs from 'fs';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { REPORTS_DIR, ReportFiles } from '../../lib';
import { tempApp } from '../support/temp-app';


describe('report files at synth', () => {
  test('reports are rendered at synth, not when added, and written under reports/', () => {
    const app = tempApp();
    const chart = new Chart(app, 'serving');
    let renders = 0;
    ReportFiles.of(chart).add('capacity-prod.md', 'serving/prod', () => `# rendered ${++renders}\n`);
    expect(renders).toBe(0);
    expect(fs.existsSync(path.join(app.outdir, REPORTS_DIR))).toBe(false);
    app.synth();
    expect(fs.readFileSync(path.join(app.outdir, REPORTS_DIR, 'capacity-prod.md'), 'utf8')).toBe('# rendered 1\n');
    expect(ReportFiles.of(chart).fileNames).toEqual(['capacity-prod.md']);
  });

  test('one ReportFiles per app, whichever scope asks', () => {
    const app = tempApp();
    expect(ReportFiles.of(new Chart(app, 'a'))).toBe(ReportFiles.of(new Chart(app, 'b')));
  });

  test('a second synth clears reports nobody writes any more', () => {
    const app = tempApp();
    fs.mkdirSync(path.join(app.outdir, REPORTS_DIR), { recursive: true });
    fs.writeFileSync(path.join(app.outdir, REPORTS_DIR, 'stale.md'), 'old');
    ReportFiles.of(new Chart(app, 'serving')).add('autoscaling.md', 'serving', () => 'new');
    app.synth();
    expect(fs.readdirSync(path.join(app.outdir, REPORTS_DIR))).toEqual(['autoscaling.md']);
  });

  test('two owners of one file name fail, naming both', () => {
    const reports = ReportFiles.of(new Chart(tempApp(), 'serving'));
    reports.add('capacity.md', 'serving/a', () => '');
    expect(() => reports.add('capacity.md', 'serving/b', () => '')).toThrow('modelship: serving/b and serving/a both write reports/capacity.md; give one of them another name');
  });
});

test('an app of several charts renders each report once per synth, though cdk8s validates the app once per chart', () => {
  const app = tempApp();
  let renders = 0;
  ReportFiles.of(new Chart(app, 'a')).add('once.md', 'a', () => `${++renders}`);
  new Chart(app, 'b');
  new Chart(app, 'c');
  app.synth();
  expect(renders).toBe(1);
});
