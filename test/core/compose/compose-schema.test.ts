/**
 * The committed schema copy is the one COMPOSE-SPEC-SOURCE.md describes, and the validator
 * built from it is strict: unknown keys, wrong types and wrong enum values fail.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { COMPOSE_SCHEMA_PATH, composeSchemaErrors } from './compose-schema';

describe('compose-spec.json', () => {
  it('has the SHA-256 and size recorded in COMPOSE-SPEC-SOURCE.md', () => {
    const bytes = fs.readFileSync(COMPOSE_SCHEMA_PATH);
    const source = fs.readFileSync(path.join(path.dirname(COMPOSE_SCHEMA_PATH), 'COMPOSE-SPEC-SOURCE.md'), 'utf8');
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect(sha).toBe('1f91e091f16b2dd50ab8860e02bb391d22df553d91c145eacedb1b6eff9c3f0e');
    expect(source).toContain(`| SHA-256 | \`${sha}\` |`);
    expect(source).toContain(`| Size | ${bytes.length} bytes |`);
    const schema = JSON.parse(bytes.toString('utf8')) as { $schema: string; $id: string };
    expect([schema.$schema, schema.$id]).toEqual(['https://json-schema.org/draft-07/schema', 'compose_spec.json']);
  });
});

describe('the Compose schema validator', () => {
  const valid = {
    name: 'demo',
    services: { web: { image: 'nginx:1.27.3', ports: ['127.0.0.1:8080:80/tcp'], depends_on: { init: { condition: 'service_completed_successfully' } } }, init: { image: 'busybox:1.37.0' } },
    volumes: { data: { labels: { a: 'b' } } },
  };

  it('accepts a valid file and x- extensions', () => {
    expect(composeSchemaErrors(valid)).toEqual([]);
    expect(composeSchemaErrors({ ...valid, 'x-note': { any: 1 }, services: { web: { ...valid.services.web, 'x-owner': 'ml' } } })).toEqual([]);
  });

  it.each([
    ['an unknown top-level key', { ...valid, service: {} }, /\/ must NOT have additional properties.*"service"/],
    ['an unknown service key', { ...valid, services: { web: { image: 'nginx:1.27.3', port: ['80'] } } }, /\/services\/web must NOT have additional properties.*"port"/],
    ['a wrong type', { ...valid, services: { web: { image: 'nginx:1.27.3', read_only: 1 } } }, /\/services\/web\/read_only must be boolean,string/],
    ['a wrong depends_on condition', { ...valid, services: { web: { image: 'nginx:1.27.3', depends_on: { init: { condition: 'completed' } } } } }, /condition must be equal to one of the allowed values/],
    ['a bad service name', { ...valid, services: { 'web app': { image: 'nginx:1.27.3' } } }, /\/services must NOT have additional properties.*"web app"/],
  ])('rejects %s', (_what, doc, error) => {
    expect(composeSchemaErrors(doc).join('\n')).toMatch(error);
  });
});
