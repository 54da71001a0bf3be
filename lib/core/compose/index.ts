export * from './types';
export { renderCompose, COMPOSE_CLAIM_LABEL, COMPOSE_HOST_IP, COMPOSE_SERVICE_LABEL, DEFAULT_COMPOSE_CONFIG_DIR, DEFAULT_COMPOSE_IMAGES_DIR, DEFAULT_COMPOSE_PROJECT } from './render-compose';
export { bashHealthCheck, defaultHealthCheck, pythonHealthCheck } from './healthcheck';
export { escapeCompose, expandForCompose, hostVariableName } from './interpolation';
export { assignHostPortOffsets, placeHostPorts, composeUnsupportedReason, publishedContainerPorts, HOST_PORT_OFFSET_STEP, PUBLISHED_ROLES } from './host-ports';
