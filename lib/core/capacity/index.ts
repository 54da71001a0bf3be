export * from './node-pool';
export * from './workload';
export * from './plan';
export type { CapacityShortfall } from './shortfall';
export type { Resource as CapacityResource } from './instance';
export * from './report';
export * from './svg';
