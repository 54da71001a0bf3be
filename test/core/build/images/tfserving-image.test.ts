import * as fs from 'fs';
import * as path from 'path';
import { copyOfFixture, MODELS, temporaryDir, writeFiles } from '../../../support/images';
import { build, buildOk, fileMap, optionsFor, parseDockerfile, paths } from './support';

const FIXTURE = path.join(MODELS, 'tfserving');

describe('TF Serving image from the fixture base path', () => {
  const context = buildOk('tfserving');

  it('puts variables/ in weights/ and graphs and assets in code/, mirroring the base path', () => {
    expect(paths(context)).toEqual([
      '.dockerignore',
      'Dockerfile',
      'code/1/saved_model.pb',
      'code/2/assets/vocab.txt',
      'code/2/saved_model.pb',
      'config/models.config',
      'config/monitoring.config',
      'weights/1/variables/variables.data-00000-of-00001',
      'weights/1/variables/variables.index',
      'weights/2/variables/variables.data-00000-of-00001',
      'weights/2/variables/variables.index',
    ]);
    expect(fileMap(context).get('weights/2/variables/variables.index')).toEqual(fs.readFileSync(path.join(FIXTURE, '2/variables/variables.index')));
    expect(fileMap(context).get('config/models.config')!.toString()).toContain("base_path: '/models/demo'");
  });

  it('copies weights, then code, then config, and runs as 1000:1000', () => {
    const instructions = parseDockerfile(context.dockerfile);
    expect(instructions.map((i) => `${i.keyword} ${i.args}`)).toEqual([
      'FROM tensorflow/serving:2.18.0',
      'COPY weights/ /models/demo/',
      'COPY code/ /models/demo/',
      'COPY config/ /etc/modelship/',
      'EXPOSE 8501/tcp 8500/tcp',
      'LABEL org.opencontainers.image.title="demo"',
      'LABEL org.opencontainers.image.description="SavedModel versions 1, 2 for TensorFlow Serving"',
      'LABEL org.opencontainers.image.base.name="tensorflow/serving:2.18.0"',
      'ENTRYPOINT ["tensorflow_model_server"]',
      'CMD ["--port=8500", "--rest_api_port=8501", "--model_config_file=/etc/modelship/models.config", "--monitoring_config_file=/etc/modelship/monitoring.config", "--file_system_poll_wait_seconds=0"]',
      'USER 1000:1000',
    ]);
    // /tmp is the only writable path and every image has it: no root step at all.
    expect(context.dockerfile).not.toContain('USER root');
  });

  it('whitelists only the folders it wrote in .dockerignore', () => {
    expect(fileMap(context).get('.dockerignore')!.toString()).toBe(
      '# modelship: generated\n# Only what modelship wrote is sent to the builder: stray files in this folder never reach the image.\n*\n!Dockerfile\n!code\n!config\n!weights\n',
    );
  });
});

describe('TF Serving: a single SavedModel', () => {
  const single = (): string => {
    const dir = temporaryDir();
    writeFiles(dir, { 'saved_model.pb': 'graph', 'variables/variables.index': 'idx', 'variables/variables.data-00000-of-00001': 'w', 'assets/vocab.txt': 'v' });
    return dir;
  };

  it('goes under version 1 by default', () => {
    expect(paths(buildOk('tfserving', single()))).toEqual([
      '.dockerignore',
      'Dockerfile',
      'code/1/assets/vocab.txt',
      'code/1/saved_model.pb',
      'config/models.config',
      'config/monitoring.config',
      'weights/1/variables/variables.data-00000-of-00001',
      'weights/1/variables/variables.index',
    ]);
  });

  it('goes under options.version', () => {
    const context = buildOk('tfserving', single(), optionsFor('tfserving', { version: 42 }));
    expect(paths(context)).toContain('code/42/saved_model.pb');
    expect(paths(context)).toContain('weights/42/variables/variables.index');
    expect(context.dockerfile).toContain('SavedModel version 42 for TensorFlow Serving');
  });

  it('rejects a version that is not a non-negative integer', () => {
    const { context, problems } = build('tfserving', single(), optionsFor('tfserving', { version: 1.5 }));
    expect(context).toBeUndefined();
    expect(problems).toEqual([
      { construct: 'Chart/Svc', prop: 'runtime.image.version', given: '1.5', allowed: 'expected a non-negative integer: the version directory the SavedModel is placed in' },
    ]);
  });
});

describe('TF Serving validation', () => {
  it('accepts zero-padded version directories, as TF Serving does', () => {
    const dir = temporaryDir();
    writeFiles(dir, { '00000123/saved_model.pb': 'a', '00000124/saved_model.pb': 'b' });
    expect(paths(buildOk('tfserving', dir))).toEqual(expect.arrayContaining(['code/00000123/saved_model.pb', 'code/00000124/saved_model.pb']));
  });

  it('names a version directory that is not an integer and one without saved_model.pb', () => {
    const dir = copyOfFixture('tfserving');
    fs.renameSync(path.join(dir, '2'), path.join(dir, 'v2'));
    fs.rmSync(path.join(dir, '1', 'saved_model.pb'));
    const { context, problems } = build('tfserving', dir);
    expect(context).toBeUndefined();
    expect(problems).toEqual([
      { construct: 'Chart/Svc', prop: 'runtime.image.directory', given: '"1"', allowed: 'expected a SavedModel in the version directory: 1/saved_model.pb is missing' },
      {
        construct: 'Chart/Svc',
        prop: 'runtime.image.directory',
        given: '"v2"',
        allowed: 'expected a version directory named by an integer (TF Serving loads only those, e.g. 1/ or 00000123/); rename or exclude it',
      },
    ]);
  });

  it('names stray top-level files, duplicate version numbers and a misplaced version option', () => {
    const dir = copyOfFixture('tfserving');
    writeFiles(dir, { 'README.md': 'hi', '01/saved_model.pb': 'dup' });
    const { problems } = build('tfserving', dir, optionsFor('tfserving', { version: 3 }));
    expect(problems.map((p) => [p.prop, p.given, p.allowed])).toEqual([
      ['runtime.image.version', '3', 'expected no version: the directory already holds version directories (version applies only to a single SavedModel with saved_model.pb at its root)'],
      [
        'runtime.image.directory',
        '"README.md"',
        'expected only integer version directories (1/, 2/, …) at the top of a TF Serving base path, or saved_model.pb for a single SavedModel; move or exclude this file',
      ],
      ['runtime.image.directory', '"1"', 'expected one directory per version; 01 is version 1 too'],
    ]);
  });

  it('reports an empty directory as having no SavedModel', () => {
    const dir = temporaryDir();
    const { problems } = build('tfserving', dir);
    expect(problems).toEqual([
      {
        construct: 'Chart/Svc',
        prop: 'runtime.image.directory',
        given: JSON.stringify(dir),
        allowed: 'expected a SavedModel: saved_model.pb at the top, or integer version directories (1/saved_model.pb, …) below it',
      },
    ]);
  });

  it('lets exclude drop a stray file', () => {
    const dir = copyOfFixture('tfserving');
    writeFiles(dir, { 'README.md': 'hi' });
    expect(buildOk('tfserving', dir, optionsFor('tfserving', { exclude: ['README.md'] })).tag).toBe(buildOk('tfserving', FIXTURE).tag);
  });
});
