import { ArtifactCredentials, Duration, ModelArtifact, ModelImage, Runtime, Size } from '../../../lib/core';
import { HF_REVISION, MINIMAL_PROPS, render, SHA256, serverOf } from '../../support/fixtures';
import { expectAccepted, expectProblems } from '../../support/problems';

const DIGEST = `sha256:${'a1'.repeat(32)}`;
const custom = (reference: string) => ({ runtime: Runtime.custom({ image: ModelImage.fromRegistry(reference) }) });
const LATEST = 'expected a pinned image: "latest" changes under a running Deployment; use a version tag or a digest';
const UNTAGGED = 'expected a pinned image: add a version tag (not "latest") or a digest; an untagged image means "latest"';

describe('ModelImage.fromRegistry', () => {
  test.each([['ghcr.io/acme/scorer:latest'], ['scorer:latest']])('%s is refused', (ref) => {
    expectProblems(custom(ref), [['runtime.image', JSON.stringify(ref), LATEST]]);
  });

  test.each([['ghcr.io/acme/scorer'], ['scorer'], ['registry.local:5000/acme/scorer']])('%s (no tag) is refused', (ref) => {
    expectProblems(custom(ref), [['runtime.image', JSON.stringify(ref), UNTAGGED]]);
  });

  test.each([[`ghcr.io/acme/scorer@${DIGEST}`], [`ghcr.io/acme/scorer:latest@${DIGEST}`], [`registry.local:5000/acme/scorer@${DIGEST}`]])(
    'digest-pinned %s is accepted and used verbatim',
    (ref) => {
      expect(serverOf(render(custom(ref))).image).toBe(ref);
    },
  );

  test('a registry port is not mistaken for a tag', () => {
    expect(serverOf(render(custom('registry.local:5000/acme/scorer:1.4.2'))).image).toBe('registry.local:5000/acme/scorer:1.4.2');
  });

  test('a malformed digest', () => {
    expectProblems(custom('ghcr.io/acme/scorer@sha256:abc'), [['runtime.image', '"ghcr.io/acme/scorer@sha256:abc"', 'expected a digest of the form sha256:<64 lowercase hex digits>']]);
  });

  test('a malformed repository and tag', () => {
    expectProblems(custom('GHCR.io/Acme/Scorer:.1'), [
      ['runtime.image', '"GHCR.io/Acme/Scorer:.1"', 'expected a repository of lowercase letters, digits and separators, with an optional registry host'],
      ['runtime.image', '"GHCR.io/Acme/Scorer:.1"', 'expected a tag of at most 128 letters, digits, "_", "." and "-", not starting with "." or "-"'],
    ]);
  });

  test.each(['torchserve', 'tfserving', 'triton', 'vllm'] as const)('%s: an image override is held to the same rules', (kind) => {
    const props = MINIMAL_PROPS[kind]();
    const options = { model: props.runtime.model!, image: ModelImage.fromRegistry('pytorch/torchserve:latest') };
    const runtime = { torchserve: Runtime.torchServe, tfserving: Runtime.tensorflowServing, triton: Runtime.triton, vllm: Runtime.vllm }[kind](options);
    expectProblems({ ...props, runtime }, [['runtime.image', '"pytorch/torchserve:latest"', LATEST]]);
  });

  test('the fetcher image override too', () => {
    const model = ModelArtifact.fromS3('s3://models/fraud/v7/fraud.mar', { fetchImage: ModelImage.fromRegistry('amazon/aws-cli') });
    expectProblems({ runtime: Runtime.torchServe({ model }) }, [['runtime.model.fetchImage', '"amazon/aws-cli"', UNTAGGED]]);
  });
});

describe('HTTPS artifacts', () => {
  const URL = 'https://models.example.com/fraud-v7.mar';

  test('without sha256', () => {
    const model = ModelArtifact.fromHttps(URL, {} as { sha256: string });
    expectProblems({ runtime: Runtime.torchServe({ model }) }, [
      ['runtime.model.sha256', 'nothing', 'expected the SHA-256 of the file (64 lowercase hex digits): HTTPS artifacts must be pinned to their contents'],
    ]);
  });

  test('without options at all', () => {
    const model = ModelArtifact.fromHttps(URL, undefined as unknown as { sha256: string });
    expectProblems({ runtime: Runtime.torchServe({ model }) }, [
      ['runtime.model.sha256', 'nothing', 'expected the SHA-256 of the file (64 lowercase hex digits): HTTPS artifacts must be pinned to their contents'],
    ]);
  });

  test.each([['abc'], [SHA256.toUpperCase()], [`${SHA256}0`], [SHA256.slice(1)], [`sha256:${SHA256}`]])('malformed sha256 %j', (sha256) => {
    const model = ModelArtifact.fromHttps(URL, { sha256 });
    expectProblems({ runtime: Runtime.torchServe({ model }) }, [['runtime.model.sha256', JSON.stringify(sha256), 'expected 64 lowercase hex digits']]);
  });

  test.each([['http://models.example.com/fraud.mar'], ['https://models.example.com'], ['https:///fraud.mar'], ['https://models.example.com/fraud v7.mar']])('URL %j', (url) => {
    const model = ModelArtifact.fromHttps(url, { sha256: SHA256 });
    expectProblems({ runtime: Runtime.torchServe({ model }) }, [['runtime.model.uri', JSON.stringify(url), 'expected a https:// URL such as "https://models.example.com/fraud-v7.mar"']]);
  });

  test('pinned: accepted', () => {
    expectAccepted({ runtime: Runtime.torchServe({ model: ModelArtifact.fromHttps(URL, { sha256: SHA256 }) }) });
  });
});

describe('object storage artifacts', () => {
  test('sha256 on a prefix', () => {
    const model = ModelArtifact.fromS3('s3://models/ranker/', { sha256: SHA256 });
    expectProblems({ runtime: Runtime.triton({ model }) }, [
      ['runtime.model.sha256', JSON.stringify(SHA256), 'expected no sha256 for a prefix (a URL ending in "/"): a checksum pins a single object'],
    ]);
  });

  test.each([
    ['s3', 's3://Models/fraud.mar', 'expected a s3:// URL such as "s3://bucket/models/fraud/v7/fraud.mar"'],
    ['s3', 's3://models', 'expected a s3:// URL such as "s3://bucket/models/fraud/v7/fraud.mar"'],
    ['gs', 'gcs://models/fraud.mar', 'expected a gs:// URL such as "gs://bucket/models/fraud/"'],
  ] as const)('%s URI %j', (scheme, uri, allowed) => {
    const model = scheme === 's3' ? ModelArtifact.fromS3(uri) : ModelArtifact.fromGcs(uri);
    expectProblems({ runtime: Runtime.torchServe({ model }) }, [['runtime.model.uri', JSON.stringify(uri), allowed]]);
  });

  test('download size and time', () => {
    const model = ModelArtifact.fromS3('s3://models/fraud.mar', { size: Size.parse('12GB'), downloadTime: Duration.seconds(0) });
    expectProblems({ runtime: Runtime.torchServe({ model }) }, [
      ['runtime.model.size', '12GB', 'expected a positive Size such as Size.gibibytes(12)'],
      ['runtime.model.downloadTime', '0 s', 'expected a positive Duration'],
    ]);
  });

  test('credentials', () => {
    const model = ModelArtifact.fromS3('s3://models/fraud.mar', { credentials: ArtifactCredentials.fromSecret('S3_Reader', { 'AWS KEY': 'access-key' }) });
    expectProblems({ runtime: Runtime.torchServe({ model }) }, [
      ['runtime.model.credentials.secretName', '"S3_Reader"', 'expected a DNS-1123 subdomain: at most 253 lowercase letters, digits, "-" and ".", starting and ending alphanumeric'],
      ['runtime.model.credentials.env.AWS KEY', '"AWS KEY"', 'expected an environment variable name of letters, digits, "_", "-" and ".", not starting with a digit or "..", and not "."'],
    ]);
  });
});

describe('Hugging Face artifacts', () => {
  const vllm = (revision: string, repo = 'meta-llama/Llama-3.1-8B-Instruct') => ({ ...MINIMAL_PROPS.vllm(), runtime: Runtime.vllm({ model: ModelArtifact.fromHuggingFace(repo, { revision }) }) });
  const NOT_COMMIT = 'expected a commit hash (40 lowercase hex digits): branches and tags such as "main" move';

  test.each([['main'], ['v1.0'], [HF_REVISION.toUpperCase()], [HF_REVISION.slice(0, 7)], [`${HF_REVISION}0`]])('revision %j is not a commit', (revision) => {
    expectProblems(vllm(revision), [['runtime.model.revision', JSON.stringify(revision), NOT_COMMIT]]);
  });

  test('a missing revision', () => {
    expectProblems(vllm(undefined as unknown as string), [['runtime.model.revision', 'nothing', NOT_COMMIT]]);
  });

  test('a repository id that is not org/name', () => {
    expectProblems(vllm(HF_REVISION, 'Llama-3.1-8B'), [['runtime.model.repo', '"Llama-3.1-8B"', 'expected a Hugging Face repository id "organization/name"']]);
  });

  test('a runtime whose image has no huggingface-cli needs a fetchImage', () => {
    const model = ModelArtifact.fromHuggingFace('acme/ranker', { revision: HF_REVISION });
    expectProblems({ runtime: Runtime.triton({ model }) }, [['runtime.model.fetchImage', 'nothing', 'expected an image with huggingface-cli to fetch the model: the triton image has none']]);
  });
});

describe('PersistentVolumeClaim and in-image artifacts', () => {
  test('claim name and path', () => {
    const model = ModelArtifact.fromPersistentVolumeClaim('Models', { path: '../fraud.mar' });
    expectProblems({ runtime: Runtime.torchServe({ model }) }, [
      ['runtime.model.claimName', '"Models"', 'expected the name of a PersistentVolumeClaim (a DNS-1123 subdomain)'],
      ['runtime.model.path', '"../fraud.mar"', 'expected a relative path inside the volume, without ".."'],
    ]);
  });

  test('an absolute path inside the volume', () => {
    const model = ModelArtifact.fromPersistentVolumeClaim('models', { path: '/fraud.mar' });
    expectProblems({ runtime: Runtime.torchServe({ model }) }, [['runtime.model.path', '"/fraud.mar"', 'expected a relative path inside the volume, without ".."']]);
  });

  test('a relative path in the image', () => {
    expectProblems({ runtime: Runtime.triton({ model: ModelArtifact.inImage('models') }) }, [['runtime.model.path', '"models"', 'expected an absolute path inside the image']]);
  });
});
