export * from './artifact';
export * from './credentials';
