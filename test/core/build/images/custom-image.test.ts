import * as fs from 'fs';
import * as path from 'path';
import { CUSTOM_BASE, MODELS, temporaryDir } from '../../../support/images';
import { build, buildOk, fileMap, optionsFor, parseDockerfile } from './support';

describe('custom image from the fixture directory', () => {
  const context = buildOk('custom');

  it('copies the whole directory, weights first, keeping the executable bit', () => {
    expect(context.files.map((f) => [f.path, f.mode.toString(8)])).toEqual([
      ['.dockerignore', '644'],
      ['Dockerfile', '644'],
      ['code/app/predict.py', '644'],
      ['code/app/settings.json', '644'],
      ['code/server.py', '755'],
      ['weights/model.pt', '644'],
    ]);
    expect(fs.statSync(path.join(MODELS, 'custom', 'server.py')).mode & 0o111).not.toBe(0);
    expect(fileMap(context).get('code/server.py')).toEqual(fs.readFileSync(path.join(MODELS, 'custom', 'server.py')));
  });

  it('builds FROM options.baseImage, creates the writable directory as root, and ends as the server user', () => {
    const instructions = parseDockerfile(context.dockerfile);
    expect(instructions.map((i) => `${i.keyword} ${i.args}`)).toEqual([
      `FROM ${CUSTOM_BASE}`,
      'USER root',
      'RUN ["install", "-d", "-o", "1000", "-g", "1000", "-m", "0755", "/var/cache/model server"]',
      'COPY weights/ /models/',
      'COPY code/ /models/',
      'ENV MODEL_PATH="/models"',
      'EXPOSE 8080/tcp 9090/tcp',
      'LABEL org.opencontainers.image.title="demo"',
      'LABEL org.opencontainers.image.description="model directory for a custom server"',
      `LABEL org.opencontainers.image.base.name="${CUSTOM_BASE}"`,
      'ENTRYPOINT ["python3", "/models/server.py"]',
      'CMD ["--port", "8080"]',
      'USER 1000:1000',
    ]);
  });

  it('adds the user labels after its own, sorted', () => {
    const labelled = buildOk('custom', undefined, optionsFor('custom', { labels: { 'org.opencontainers.image.source': 'https://git.example.com/ml/fraud', 'com.example.team': 'risk "ml"' } }));
    const labels = parseDockerfile(labelled.dockerfile).filter((i) => i.keyword === 'LABEL').map((i) => i.args);
    expect(labels.slice(3)).toEqual(['com.example.team="risk \\"ml\\""', 'org.opencontainers.image.source="https://git.example.com/ml/fraud"']);
    expect(labelled.tag).not.toBe(context.tag);
  });
});

describe('custom validation', () => {
  it('requires a base image', () => {
    const { context, problems } = build('custom', path.join(MODELS, 'custom'), { repository: 'registry.example.com/ml/custom' });
    expect(context).toBeUndefined();
    expect(problems).toEqual([
      {
        construct: 'Chart/Svc',
        prop: 'runtime.image.baseImage',
        given: 'nothing',
        allowed: 'expected the pinned image to build FROM (e.g. "python:3.12.8-slim-bookworm"): the custom runtime has no default server image',
      },
    ]);
  });

  it('requires a pinned base image', () => {
    const { problems } = build('custom', path.join(MODELS, 'custom'), optionsFor('custom', { baseImage: 'python:latest' }));
    expect(problems.map((p) => [p.prop, p.given])).toEqual([['runtime.image.baseImage', '"python:latest"']]);
  });

  it('requires at least one file', () => {
    const dir = temporaryDir();
    const { problems } = build('custom', dir);
    expect(problems.map((p) => [p.prop, p.given, p.allowed])).toEqual([['runtime.image.directory', JSON.stringify(dir), 'expected at least one file in the model directory (after exclusions)']]);
  });
});
