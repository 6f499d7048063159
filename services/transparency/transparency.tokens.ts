/**
 * How often (milliseconds) the transparency log reads the event log's new registry events and signs
 * a head for them, in the background. Optional: one second when nothing is bound.
 */
export const TRANSPARENCY_REFRESH_MS = Symbol('TRANSPARENCY_REFRESH_MS');

export const DEFAULT_TRANSPARENCY_REFRESH_MS = 1_000;
