/** The documented defaults of the Compose renderer (compose/types.ts). */
import { renderCompose, type RenderedModelService } from '../../../lib/core';
import { MINIMAL_PROPS, render } from '../../support/fixtures';
import { directoryImage, directoryProps } from '../images/support';
import { documented, type DefaultCases } from './cases';

type Service = { image: string; build?: { context: string }; ports?: string[]; healthcheck?: { test: string[] }; volumes?: (string | { source: string })[] };
const servicesOf = (rendered: RenderedModelService[], options = {}) => renderCompose(rendered, options).compose.services as unknown as Record<string, Service>;

export const COMPOSE_DEFAULTS: DefaultCases = {
  'compose/types.ts:ComposeOptions.name': documented('"modelship"', () => {
    expect(renderCompose([render(MINIMAL_PROPS.custom())]).compose.name).toBe('modelship');
    expect(renderCompose([render(MINIMAL_PROPS.custom())], { name: 'local' }).compose.name).toBe('local');
  }),
  'compose/types.ts:ComposeOptions.imagesDir': documented('"images"', () => {
    const built = render(directoryProps('tfserving', directoryImage('tfserving')));
    expect(servicesOf([built]).fraud!.build?.context).toBe('images/fraud');
    expect(servicesOf([built], { imagesDir: 'contexts' }).fraud!.build?.context).toBe('contexts/fraud');
  }),
  'compose/types.ts:ComposeOptions.configDir': documented('"config"', () => {
    const files = (options = {}) => renderCompose([render(MINIMAL_PROPS.torchserve())], options).files.map((f) => f.path);
    expect(files()).toEqual(['config/fraud/config.properties']);
    expect(files({ configDir: 'local-config' })).toEqual(['local-config/fraud/config.properties']);
  }),
  'compose/types.ts:ComposeOptions.hostPortOffset': documented('- no offset: host ports equal container ports', () => {
    expect(servicesOf([render(MINIMAL_PROPS.custom())]).fraud!.ports).toEqual(['127.0.0.1:8080:8080/tcp']);
    expect(servicesOf([render(MINIMAL_PROPS.custom())], { hostPortOffset: 1 }).fraud!.ports).toEqual(['127.0.0.1:8081:8080/tcp']);
  }),
  'compose/types.ts:ComposeOptions.healthCheck': documented("defaultHealthCheck - a Python one-liner, or bash's /dev/tcp for TF Serving (whose image has no Python)", () => {
    expect(servicesOf([render(MINIMAL_PROPS.custom())]).fraud!.healthcheck?.test.slice(0, 3)).toEqual(['CMD', 'python3', '-c']);
    expect(servicesOf([render(MINIMAL_PROPS.tfserving())]).fraud!.healthcheck?.test.join(' ')).toContain('/dev/tcp/127.0.0.1/8501');
  }),
};
