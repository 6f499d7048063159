import { resolve } from 'node:path';

type Listener = () => void;

// Keyed by file so that every SqliteEventLog of this process on one file wakes the others' subscribers;
// other processes are only seen by polling.
const listenersByFile = new Map<string, Set<Listener>>();

export function onAppendCommitted(file: string, listener: Listener): () => void {
  const key = resolve(file);
  const listeners = listenersByFile.get(key) ?? new Set<Listener>();
  listenersByFile.set(key, listeners);
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && listenersByFile.get(key) === listeners) listenersByFile.delete(key);
  };
}

export function notifyAppendCommitted(file: string): void {
  for (const listener of listenersByFile.get(resolve(file)) ?? []) listener();
}
