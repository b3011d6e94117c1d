// The offline queue: writes made without a network wait here, in order, each
// with the Idempotency-Key it was given once, until the server has them.
// The logic is plain (no IndexedDB, no clock of its own) so that it can be
// tested; db.ts stores the items, sync.svelte.ts runs it.

/** The writes a CHW can make without a network. */
export type QueueKind = 'visit' | 'task' | 'note' | 'appointment';

export interface QueueItem {
  /** Order of arrival (the store's key). */
  seq: number;
  /** Made once, when the write was first tried; sent on every retry. */
  key: string;
  kind: QueueKind;
  method: string;
  path: string;
  body: unknown;
  /** The version an edit was based on (If-Match), sent on every try: an edit made offline never overwrites a newer one unseen. */
  ifMatch?: string;
  /** Whose item it is: another account never sends it. */
  userId: string;
  createdAt: number;
  attempts: number;
  /** Not before this time (back-off after a network error or a 5xx). */
  nextAt: number;
  /** refused: the server said no (4xx); it stays until the user retries or removes it. */
  state: 'waiting' | 'refused';
  /** The server's message for a refusal, or the last transient failure. */
  error?: { status: number; message: string };
  /** Refused with 412: someone changed the record meanwhile; the record as it is now. */
  conflict?: Conflict;
}

/** The record as the server has it now, and its version (a 412's problem). */
export interface Conflict {
  version: number;
  current: Record<string, unknown>;
}

export type NewItem = Pick<QueueItem, 'kind' | 'method' | 'path' | 'body' | 'userId' | 'key'> & { ifMatch?: string };

/** Where items are kept (IndexedDB in the app, memory in tests). */
export interface QueueStore {
  all(): Promise<QueueItem[]>;
  add(item: Omit<QueueItem, 'seq'>): Promise<number>;
  put(item: QueueItem): Promise<void>;
  remove(seq: number): Promise<void>;
  clear(): Promise<void>;
}

/** What came of one try. network: no answer at all. */
export type SendResult =
  | { ok: true }
  | { ok: false; status: number; message: string; conflict?: Conflict }
  | { ok: false; network: true; message: string };

export type Sender = (item: QueueItem) => Promise<SendResult>;

const routes: { kind: QueueKind; method: string; re: RegExp }[] = [
  { kind: 'visit', method: 'POST', re: /^\/api\/v1\/clients\/[^/?]+\/visits$/ },
  { kind: 'note', method: 'POST', re: /^\/api\/v1\/tasks$/ },
  { kind: 'task', method: 'PATCH', re: /^\/api\/v1\/tasks\/[^/?]+$/ },
  { kind: 'appointment', method: 'PATCH', re: /^\/api\/v1\/appointments\/[^/?]+$/ },
];

/** Which kind of queueable write a request is, or null for any other. */
export function queueKind(method: string, path: string): QueueKind | null {
  return routes.find((r) => r.method === method && r.re.test(path))?.kind ?? null;
}

/** Back-off after the n-th failed try: 2 s, 4 s, 8 s … at most 5 minutes. */
export function backoff(attempts: number): number {
  return Math.min(300_000, 2000 * 2 ** Math.max(0, attempts - 1));
}

/**
 * A status that may pass by itself: try again later with the same key.
 * Everything else in 4xx is the server's refusal of this item.
 */
export function transient(status: number): boolean {
  return status >= 500 || status === 408 || status === 429 || status === 401;
}

export async function enqueue(store: QueueStore, item: NewItem, now: number): Promise<QueueItem> {
  const full = { ...item, createdAt: now, attempts: 0, nextAt: now, state: 'waiting' as const };
  const seq = await store.add(full);
  return { ...full, seq };
}

/** The user's items, oldest first. */
export async function itemsOf(store: QueueStore, userId: string): Promise<QueueItem[]> {
  return (await store.all()).filter((i) => i.userId === userId).sort((a, b) => a.seq - b.seq);
}

export interface SyncOutcome {
  sent: number;
  refused: number;
  /** An item could not be sent now: the pass stopped there, to keep the order. */
  stopped: boolean;
}

/**
 * One pass over the user's waiting items, in order. A sent item leaves the
 * queue; a refused one stays, marked with the server's message, and the pass
 * goes on; a network error or a transient status keeps the item and its key,
 * sets its back-off and ends the pass so that nothing overtakes it.
 * progress is told after each item that left the waiting line.
 */
export async function syncOnce(store: QueueStore, userId: string, send: Sender, now: () => number, progress: () => void = () => {}): Promise<SyncOutcome> {
  const out: SyncOutcome = { sent: 0, refused: 0, stopped: false };
  for (const item of await itemsOf(store, userId)) {
    if (item.state === 'refused') continue;
    if (item.nextAt > now()) {
      out.stopped = true;
      break;
    }
    const r = await send(item);
    item.attempts += 1;
    if (r.ok) {
      await store.remove(item.seq);
      out.sent++;
      progress();
      continue;
    }
    if ('network' in r || transient(r.status)) {
      item.error = { status: 'network' in r ? 0 : r.status, message: r.message };
      item.nextAt = now() + backoff(item.attempts);
      await store.put(item);
      out.stopped = true;
      break;
    }
    item.state = 'refused';
    item.error = { status: r.status, message: r.message };
    if (r.conflict) item.conflict = r.conflict;
    await store.put(item);
    out.refused++;
    progress();
  }
  return out;
}

/** The user asked to send it again: same key, now, at its place in the order. */
export async function retry(store: QueueStore, seq: number, now: number): Promise<void> {
  const item = (await store.all()).find((i) => i.seq === seq);
  if (!item) return;
  await store.put({ ...item, state: 'waiting', nextAt: now });
}

/**
 * The user saw what changed meanwhile and keeps their edit: it goes again,
 * at its place in the order, based on the version now saved and under a new
 * key (the refused try keeps its own answer on the server).
 */
export async function reapply(store: QueueStore, seq: number, key: string, now: number): Promise<void> {
  const item = (await store.all()).find((i) => i.seq === seq);
  if (!item?.conflict) return;
  const { conflict, error: _, ...rest } = item;
  await store.put({ ...rest, key, ifMatch: `"v${conflict.version}"`, state: 'waiting', nextAt: now });
}

/** The network is back: every waiting item may be tried at once. */
export async function wake(store: QueueStore, now: number): Promise<void> {
  for (const item of await store.all()) {
    if (item.state === 'waiting' && item.nextAt > now) await store.put({ ...item, nextAt: now });
  }
}

/** An in-memory store for tests and for browsers without IndexedDB. */
export function memoryStore(): QueueStore {
  const items = new Map<number, QueueItem>();
  let next = 1;
  const copy = (i: QueueItem) => structuredClone(i);
  return {
    async all() {
      return [...items.values()].map(copy);
    },
    async add(item) {
      const seq = next++;
      items.set(seq, copy({ ...item, seq }));
      return seq;
    },
    async put(item) {
      items.set(item.seq, copy(item));
    },
    async remove(seq) {
      items.delete(seq);
    },
    async clear() {
      items.clear();
    },
  };
}
