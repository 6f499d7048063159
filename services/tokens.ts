/** Injection tokens for what the infra module provides; services depend on these, never on classes. */
export const CONFIG = Symbol('IcpConfig');
export const EVENT_LOG = Symbol('EventLog');
export const TEMPORAL_CONNECTION = Symbol('TemporalConnection');
export const TEMPORAL_CLIENT = Symbol('TemporalClient');
export const IDEMPOTENCY_KEYS = Symbol('IdempotencyKeys');
export const SMS_ANSWER_KEY = Symbol('SmsAnswerKey');
export const READ_MODELS = Symbol('ReadModelStore');
