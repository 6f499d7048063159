export * from './domain-name';
export * from './ip-address';
