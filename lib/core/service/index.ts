export * from './budget';
export * from './endpoint';
export * from './props';
export * from './render';
export { CONFIG_MOUNT_PATH, SERVER_CONTAINER, restrictedSecurityContext } from './pod';
