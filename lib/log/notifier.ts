/**
 * Wakes long-polling fetches in this process as soon as a commit lands here. Across processes
 * (Lambda containers) fetches fall back to polling the leader record; this only shortens the wait.
 */
import { EventEmitter } from 'node:events';

const emitter = new EventEmitter();
emitter.setMaxListeners(0);

export function notifyCommit(topicId: string, partition: number): void {
  emitter.emit(`${topicId}#${partition}`);
}

/** Resolves true when a commit to the partition is signalled within `ms`, false on timeout. */
export function waitForCommit(topicId: string, partition: number, ms: number): Promise<boolean> {
  const event = `${topicId}#${partition}`;
  return new Promise((resolve) => {
    const onCommit = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      emitter.off(event, onCommit);
      resolve(false);
    }, ms);
    emitter.once(event, onCommit);
  });
}
