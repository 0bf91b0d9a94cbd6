export * from './outbox';
export * from './admission';
