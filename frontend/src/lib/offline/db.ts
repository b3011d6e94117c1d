// The app's one IndexedDB database: the offline queue, the copies of the
// CHW's last reads, and a little bookkeeping (whose data, last use). No token
// is ever stored here: the access token lives in memory, the refresh token in
// an HttpOnly cookie.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { QueueItem, QueueStore } from './queue';
import type { User } from '../api';

export interface Read {
  path: string;
  body: unknown;
  at: number;
}

export interface Meta {
  /** The signed-in user, so that an offline reload can show their app. */
  user?: User;
  lastUse?: number;
}

interface Schema extends DBSchema {
  queue: { key: number; value: QueueItem };
  reads: { key: string; value: Read };
  meta: { key: string; value: unknown };
}

export const DB_NAME = 'brug-offline';

let opened: Promise<IDBPDatabase<Schema>> | null = null;

export function available(): boolean {
  return typeof indexedDB !== 'undefined';
}

function db(): Promise<IDBPDatabase<Schema>> {
  opened ??= openDB<Schema>(DB_NAME, 1, {
    upgrade(d) {
      d.createObjectStore('queue', { keyPath: 'seq', autoIncrement: true });
      d.createObjectStore('reads', { keyPath: 'path' });
      d.createObjectStore('meta');
    },
  });
  return opened;
}

export const idbQueue: QueueStore = {
  async all() {
    return (await db()).getAll('queue');
  },
  async add(item) {
    return (await db()).add('queue', item as QueueItem);
  },
  async put(item) {
    await (await db()).put('queue', item);
  },
  async remove(seq) {
    await (await db()).delete('queue', seq);
  },
  async clear() {
    await (await db()).clear('queue');
  },
};

export async function saveRead(path: string, body: unknown, at: number): Promise<void> {
  await (await db()).put('reads', { path, body, at });
}

export async function loadRead(path: string): Promise<Read | undefined> {
  return (await db()).get('reads', path);
}

/** Drops the copies older than maxAge (clients opened in the last days). */
export async function pruneReads(before: number): Promise<void> {
  const d = await db();
  for (const r of await d.getAll('reads')) if (r.at < before) await d.delete('reads', r.path);
}

export async function getMeta<K extends keyof Meta>(k: K): Promise<Meta[K] | undefined> {
  return (await (await db()).get('meta', k)) as Meta[K] | undefined;
}

export async function setMeta<K extends keyof Meta>(k: K, v: Meta[K]): Promise<void> {
  await (await db()).put('meta', v, k);
}

/** Forgets the reads and the bookkeeping; the queue too unless keepQueue. */
export async function wipe(keepQueue = false): Promise<void> {
  const d = await db();
  await d.clear('reads');
  await d.clear('meta');
  if (!keepQueue) await d.clear('queue');
}
