// Runs the offline side of the app: installs the offline fetch, sends the
// queue when the network returns (online event and a periodic retry), keeps
// the state the shell shows, and wipes what the phone holds when the session
// ends or the app was not used for 12 hours.
import { api, ApiError, configure, newIdempotencyKey, type User } from '../api';
import { t } from '../i18n/index.svelte';
import { errorKey, fieldMessage } from '../errors';
import { askInDialog, staleDiff, staleRecord } from '../stale';
import * as db from './db';
import { offlineFetch } from './fetch';
import { enqueue, itemsOf, memoryStore, reapply, retry as retryItem, syncOnce, wake, type QueueItem, type QueueStore, type SendResult } from './queue';

/** No use for this long and everything personal is wiped. */
export const IDLE_LIMIT = 12 * 3600_000;
/** Copies of reads older than this are dropped ("clients opened in the last days"). */
export const READ_LIMIT = 3 * 86400_000;
const RETRY_EVERY = 30_000;
const SENT_SHOWN = 20_000;

const state = $state<{
  items: QueueItem[];
  online: boolean;
  syncing: boolean;
  /** How many the last pass sent (shown as "sent" until something changes). */
  sent: number;
  /** When the copy on screen was saved, while answers come from IndexedDB. */
  savedAt: number | null;
}>({ items: [], online: typeof navigator === 'undefined' ? true : navigator.onLine, syncing: false, sent: 0, savedAt: null });

let user: User | null = null;
const store: QueueStore = db.available() ? db.idbQueue : memoryStore();
const replaying = new Set<string>();
let timer: ReturnType<typeof setTimeout> | undefined;
let sentTimer: ReturnType<typeof setTimeout> | undefined;
let lastUseWritten = 0;
let hooks: { reconnect: () => Promise<void>; idle: () => void } = { reconnect: async () => {}, idle: () => {} };

async function refresh() {
  state.items = user ? await itemsOf(store, user.id) : [];
}

/** What the server said, as one line in the user's language: the reason, then each field's message. */
export function serverMessage(err: ApiError): string {
  if (err.status === 412) return t('offline.conflict');
  if (err.status === 404) return t('offline.gone');
  if (err.status === 422) return [t('offline.fields'), ...(err.problem?.errors ?? []).map((e) => fieldMessage(e))].join(' ');
  if (err.status === 403) return t(errorKey(err));
  // Other refusals (409): the server's own sentence says what happened.
  return err.problem?.detail ?? t(errorKey(err));
}

async function send(item: QueueItem): Promise<SendResult> {
  replaying.add(item.key);
  try {
    await api(item.method, item.path, item.body, { idempotencyKey: item.key, headers: item.ifMatch ? { 'If-Match': item.ifMatch } : undefined });
    return { ok: true };
  } catch (err) {
    if (err instanceof ApiError) {
      const s = staleRecord(err);
      return { ok: false, status: err.status, message: serverMessage(err), ...(s ? { conflict: s } : {}) };
    }
    return { ok: false, network: true, message: String((err as Error)?.message ?? err) };
  } finally {
    replaying.delete(item.key);
  }
}

let running: Promise<void> | null = null;

/** One pass over the queue (never two at once); plans the next try. */
export function sync(): Promise<void> {
  running ??= (async () => {
    clearTimeout(timer);
    try {
      if (!user || !state.online) return;
      await refresh();
      if (!state.items.some((i) => i.state === 'waiting')) return;
      state.syncing = true;
      const out = await syncOnce(store, user.id, send, Date.now, () => void refresh().catch(() => {}));
      if (out.sent) {
        state.sent = out.sent;
        // "Sent" is news for a while, not a fixture of every page.
        clearTimeout(sentTimer);
        sentTimer = setTimeout(() => (state.sent = 0), SENT_SHOWN);
      }
    } finally {
      state.syncing = false;
      await refresh().catch(() => {});
      running = null;
      plan();
    }
  })();
  return running;
}

/** The next try: at the first item's back-off, and at least every 30 s. */
function plan() {
  clearTimeout(timer);
  const waiting = state.items.filter((i) => i.state === 'waiting');
  if (!user || waiting.length === 0) return;
  const due = Math.max(1000, Math.min(RETRY_EVERY, waiting[0].nextAt - Date.now()));
  timer = setTimeout(() => void sync(), due);
}

async function onOnline() {
  state.online = true;
  await hooks.reconnect().catch(() => {});
  await wake(store, Date.now()).catch(() => {});
  await sync();
}

function touch() {
  const now = Date.now();
  if (!user || now - lastUseWritten < 60_000) return;
  lastUseWritten = now;
  void db.setMeta('lastUse', now).catch(() => {});
}

if (typeof window !== 'undefined') {
  configure({
    fetch: offlineFetch({
      base: (...args) => fetch(...args),
      keepReads: () => db.available() && user?.role === 'chw',
      mayQueue: () => user !== null,
      isReplay: (key) => replaying.has(key),
      online: () => navigator.onLine,
      saveRead: (path, body) => db.saveRead(path, body, Date.now()),
      loadRead: (path) => db.loadRead(path),
      enqueue: async (kind, method, path, body, key, ifMatch) => {
        const item = await enqueue(store, { kind, method, path, body, key, ifMatch, userId: user!.id }, Date.now());
        state.sent = 0;
        await refresh();
        plan();
        return item.seq;
      },
      servedFrom: (at) => (state.savedAt = at),
    }),
  });
  window.addEventListener('online', () => void onOnline());
  window.addEventListener('offline', () => (state.online = false));
  for (const ev of ['pointerdown', 'keydown']) window.addEventListener(ev, touch, { passive: true });
  setInterval(async () => {
    if (!user) return;
    const last = (await db.getMeta('lastUse').catch(() => undefined)) ?? Date.now();
    if (Date.now() - last > IDLE_LIMIT) return hooks.idle();
    // A reload while the server was down: sign in again once it answers.
    await hooks.reconnect().catch(() => {});
  }, 60_000);
}

/** Removes every cache but the app shell's (the service worker keeps only that). */
async function wipeCaches() {
  if (typeof caches === 'undefined') return;
  for (const name of await caches.keys()) if (!name.startsWith('brug-shell-')) await caches.delete(name);
}

export const offline = {
  get items() {
    return state.items;
  },
  get waiting() {
    return state.items.filter((i) => i.state === 'waiting').length;
  },
  get refused() {
    return state.items.filter((i) => i.state === 'refused');
  },
  get online() {
    return state.online;
  },
  get syncing() {
    return state.syncing;
  },
  get sent() {
    return state.sent;
  },
  get savedAt() {
    return state.savedAt;
  },

  /** The session's side: how to sign in again silently, and what idleness does. */
  configure(h: typeof hooks) {
    hooks = h;
  },

  /**
   * On start: wipes what 12 h without use left behind, drops old copies, and
   * gives the user of the last session when there is a saved one (an offline
   * reload shows their app from IndexedDB).
   */
  async boot(): Promise<User | null> {
    if (!db.available()) return null;
    try {
      const last = await db.getMeta('lastUse');
      if (last === undefined || Date.now() - last > IDLE_LIMIT) {
        await db.wipe();
        await wipeCaches();
        return null;
      }
      await db.pruneReads(Date.now() - READ_LIMIT);
      return (await db.getMeta('user')) ?? null;
    } catch {
      return null;
    }
  },

  /** A session began (sign-in, refresh, or an offline reload with a saved user). */
  async begin(u: User, live: boolean) {
    const before = user;
    user = u;
    if (!db.available()) return;
    // Items another account left behind are never sent under this one.
    for (const i of await store.all()) if (i.userId !== u.id) await store.remove(i.seq);
    if (live) {
      // The session's user may be reactive state (a proxy), which
      // IndexedDB cannot clone: keep a plain copy.
      await db.setMeta('user', $state.snapshot(u));
      lastUseWritten = Date.now();
      await db.setMeta('lastUse', lastUseWritten);
    }
    await refresh();
    if (live && before?.id === u.id) state.savedAt = null;
    if (live) void sync();
  },

  /** Logout or 12 h idle: everything personal goes; the app shell stays. */
  async signedOut() {
    user = null;
    clearTimeout(timer);
    state.items = [];
    state.sent = 0;
    state.savedAt = null;
    if (db.available()) await db.wipe().catch(() => {});
    await wipeCaches().catch(() => {});
    // Also offline, where the server cannot clear it: no silent sign-in at the next start.
    if (typeof document !== 'undefined') document.cookie = 'brug_session=; Max-Age=0; Path=/; SameSite=Strict';
  },

  /**
   * The session expired (refresh refused): the copies of reads go at once;
   * unsent items stay, bound to their user, for the same person's next
   * sign-in within the 12 h limit (then they are sent).
   */
  async expired() {
    user = null;
    clearTimeout(timer);
    state.items = [];
    state.savedAt = null;
    if (!db.available()) return;
    const last = await db.getMeta('lastUse').catch(() => undefined);
    await db.wipe(true).catch(() => {});
    if (last !== undefined) await db.setMeta('lastUse', last).catch(() => {});
    await wipeCaches().catch(() => {});
  },

  /** Before a logout: whether the user accepts losing items not yet sent. */
  confirmLogout(): boolean {
    const n = state.items.length;
    if (n === 0 || typeof window === 'undefined') return true;
    return window.confirm(t('offline.logoutWarning', { n }));
  },

  async retry(seq: number) {
    await retryItem(store, seq, Date.now());
    await sync();
  },

  /**
   * An edit refused because the record changed meanwhile: the change dialog
   * shows the user's values against what is saved now; keeping theirs
   * removes the item, saving mine sends it again on the new version.
   */
  async resolve(seq: number) {
    const item = state.items.find((i) => i.seq === seq);
    if (!item?.conflict) return;
    const body = (item.body ?? {}) as Record<string, unknown>;
    const choice = await askInDialog(staleDiff(item.conflict.current, body, item.conflict.current));
    if (choice === 'theirs') return this.remove(seq);
    await reapply(store, seq, newIdempotencyKey(), Date.now());
    await sync();
  },

  /** The user chose to give an item up (after reading the server's reason). */
  async remove(seq: number) {
    await store.remove(seq);
    await refresh();
  },

  sync,
};
