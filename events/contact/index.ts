export * from './email-address';
export * from './phone-numbers';
