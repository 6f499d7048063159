export * from './credit-code';
export * from './resident-id';
export * from './travel-documents';
