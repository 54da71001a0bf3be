import { execFileSync } from 'child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Accelerator, ModelArtifact, ModelImage, Runtime, type ModelServiceProps } from '../../../lib/core';
import { CUSTOM_IMAGE, fetcherOf, HF_REVISION, podSpecOf, render, renderValid, scriptLines, serverOf, SHA256 } from '../../support/fixtures';

/** A custom server with `model`: it accepts any model path, so every artifact kind binds. */
const withModel = (model: ModelArtifact): ModelServiceProps => ({ runtime: Runtime.custom({ image: ModelImage.fromRegistry(CUSTOM_IMAGE), model }) });
const modelPathOf = (r: ReturnType<typeof render>) => serverOf(r).env!.find((e) => e.name === 'MODEL_PATH')!.value;
const SHA_LINE = (file: string) => `echo '${SHA256}  ${file}' | sha256sum -c -`;

describe('object storage', () => {
  test('S3 object: copy, then verify the checksum', () => {
    const r = renderValid(withModel(ModelArtifact.fromS3('s3://models/scorer/v3/model.onnx', { sha256: SHA256 })));
    const fetcher = fetcherOf(r);
    expect(fetcher.image).toBe('amazon/aws-cli:2.22.35');
    expect(scriptLines(fetcher)).toEqual(['set -eu', 'aws s3 cp --only-show-errors s3://models/scorer/v3/model.onnx /mnt/models/model.onnx', SHA_LINE('/mnt/models/model.onnx')]);
    expect(modelPathOf(r)).toBe('/mnt/models/model.onnx');
  });

  test('S3 object without sha256: no verification line', () => {
    const lines = scriptLines(fetcherOf(renderValid(withModel(ModelArtifact.fromS3('s3://models/scorer/v3/model.onnx')))));
    expect(lines).toEqual(['set -eu', 'aws s3 cp --only-show-errors s3://models/scorer/v3/model.onnx /mnt/models/model.onnx']);
    expect(lines.join('\n')).not.toContain('sha256sum');
  });

  test('S3 prefix: sync the whole prefix into the model directory', () => {
    const r = renderValid(withModel(ModelArtifact.fromS3('s3://models/scorer/v3/')));
    expect(scriptLines(fetcherOf(r))).toEqual(['set -eu', 'aws s3 sync --only-show-errors s3://models/scorer/v3/ /mnt/models/']);
    expect(modelPathOf(r)).toBe('/mnt/models');
  });

  test('GCS object with sha256, and GCS prefix', () => {
    const object = fetcherOf(renderValid(withModel(ModelArtifact.fromGcs('gs://models/scorer/model.pt', { sha256: SHA256 }))));
    expect(object.image).toBe('google/cloud-sdk:502.0.0-slim');
    expect(scriptLines(object)).toEqual(['set -eu', 'gcloud storage cp gs://models/scorer/model.pt /mnt/models/model.pt', SHA_LINE('/mnt/models/model.pt')]);
    const prefix = fetcherOf(renderValid(withModel(ModelArtifact.fromGcs('gs://models/scorer/'))));
    expect(scriptLines(prefix)).toEqual(['set -eu', 'gcloud storage rsync --recursive gs://models/scorer/ /mnt/models/']);
  });

  test('a checksum for a prefix is refused', () => {
    expect(() => render(withModel(ModelArtifact.fromS3('s3://models/scorer/v3/', { sha256: SHA256 })))).toThrow(/runtime\.model\.sha256.*prefix/);
  });

  test('a malformed checksum is refused', () => {
    expect(() => render(withModel(ModelArtifact.fromGcs('gs://models/scorer/model.pt', { sha256: SHA256.toUpperCase() })))).toThrow(/runtime\.model\.sha256.*64 lowercase hex/);
  });

  test('the URI reaches the CLI as one argument, however odd (run under sh with a stub aws)', () => {
    const uri = "s3://models/scorer/$(touch pwned) 'v3'; echo x/model.onnx";
    const script = scriptLines(fetcherOf(renderValid(withModel(ModelArtifact.fromS3(uri))))).join('\n');
    const dir = mkdtempSync(join(tmpdir(), 'modelship-fetch-'));
    try {
      writeFileSync(join(dir, 'aws'), `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done > "${dir}/argv"\n`);
      chmodSync(join(dir, 'aws'), 0o755);
      execFileSync('/bin/sh', ['-c', script], { cwd: dir, env: { PATH: `${dir}:/usr/bin:/bin` } });
      expect(readFileSync(join(dir, 'argv'), 'utf8').split('\n').slice(0, -1)).toEqual(['s3', 'cp', '--only-show-errors', uri, '/mnt/models/model.onnx']);
      expect(() => readFileSync(join(dir, 'pwned'))).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('HTTPS', () => {
  const CURL = (url: string) => `curl --fail --silent --show-error --location --retry 5 --retry-connrefused --output /mnt/models/.download ${url}`;

  test('file: download, verify, then move into place', () => {
    const r = renderValid(withModel(ModelArtifact.fromHttps('https://models.example.com/scorer/model.onnx', { sha256: SHA256 })));
    const fetcher = fetcherOf(r);
    expect(fetcher.image).toBe('curlimages/curl:8.11.1');
    expect(scriptLines(fetcher)).toEqual([
      'set -eu',
      CURL('https://models.example.com/scorer/model.onnx'),
      SHA_LINE('/mnt/models/.download'),
      'mv /mnt/models/.download /mnt/models/model.onnx',
    ]);
    expect(modelPathOf(r)).toBe('/mnt/models/model.onnx');
  });

  test('.tar.gz: verify before extracting into the model directory, then drop the archive', () => {
    const r = renderValid(withModel(ModelArtifact.fromHttps('https://models.example.com/scorer/v3.tar.gz', { sha256: SHA256 })));
    expect(scriptLines(fetcherOf(r))).toEqual([
      'set -eu',
      CURL('https://models.example.com/scorer/v3.tar.gz'),
      SHA_LINE('/mnt/models/.download'),
      'tar -xzf /mnt/models/.download -C /mnt/models',
      'rm /mnt/models/.download',
    ]);
    expect(modelPathOf(r)).toBe('/mnt/models');
  });

  test('.tgz behind a query string is still an archive; the URL is quoted', () => {
    const url = 'https://models.example.com/scorer/v3.tgz?X-Amz-Signature=abc&X-Amz-Expires=600';
    const lines = scriptLines(fetcherOf(renderValid(withModel(ModelArtifact.fromHttps(url, { sha256: SHA256 })))));
    expect(lines[1]).toBe(CURL(`'${url}'`));
    expect(lines).toContain('tar -xzf /mnt/models/.download -C /mnt/models');
  });

  test('a file behind a query string is named after the URL path, not the query', () => {
    const url = 'https://models.example.com/scorer/fraud.mar?X-Amz-Signature=abc';
    const r = renderValid({ runtime: Runtime.torchServe({ model: ModelArtifact.fromHttps(url, { sha256: SHA256 }) }) });
    expect(scriptLines(fetcherOf(r))[3]).toBe('mv /mnt/models/.download /mnt/models/fraud.mar');
  });

  test('sha256 is required', () => {
    expect(() => render(withModel(ModelArtifact.fromHttps('https://models.example.com/m.onnx', {} as { sha256: string })))).toThrow(/runtime\.model\.sha256: got nothing/);
  });

  test('plain http is refused', () => {
    expect(() => render(withModel(ModelArtifact.fromHttps('http://models.example.com/m.onnx', { sha256: SHA256 })))).toThrow(/runtime\.model\.uri/);
  });
});

describe('Hugging Face, claims and images', () => {
  test('Hugging Face with a fetch image of its own works for a server without huggingface-cli', () => {
    const fetchImage = ModelImage.fromRegistry('ghcr.io/acme/hf-cli:0.26.2');
    const r = renderValid(withModel(ModelArtifact.fromHuggingFace('org/model', { revision: HF_REVISION, fetchImage })));
    expect(fetcherOf(r).image).toBe('ghcr.io/acme/hf-cli:0.26.2');
    expect(scriptLines(fetcherOf(r))).toEqual(['set -eu', `huggingface-cli download org/model --revision ${HF_REVISION} --local-dir /mnt/models`]);
    expect(() => render(withModel(ModelArtifact.fromHuggingFace('org/model', { revision: HF_REVISION })))).toThrow(/runtime\.model\.fetchImage/);
  });

  test('fetchImage overrides the default fetcher of object storage too', () => {
    const fetchImage = ModelImage.fromRegistry('mirror.example.com/aws-cli:2.22.35');
    expect(fetcherOf(renderValid(withModel(ModelArtifact.fromS3('s3://models/a/m.onnx', { fetchImage })))).image).toBe('mirror.example.com/aws-cli:2.22.35');
  });

  test('a claim and a baked-in model need no init container', () => {
    for (const model of [ModelArtifact.fromPersistentVolumeClaim('models'), ModelArtifact.inImage('/opt/model')]) {
      expect(podSpecOf(renderValid(withModel(model))).initContainers).toBeUndefined();
    }
  });

  test('vLLM fetches Hugging Face with its own image', () => {
    const r = renderValid({ runtime: Runtime.vllm({ model: ModelArtifact.fromHuggingFace('org/model', { revision: HF_REVISION }) }), accelerator: Accelerator.nvidiaGpu(), resources: { memory: '16Gi' } });
    expect(fetcherOf(r).image).toBe(serverOf(r).image);
  });
});
