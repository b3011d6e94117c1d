// The fetch the API client uses (api.ts configure): online it is plain fetch;
// it keeps a copy of the CHW's reads (Today, caseload, client pages) in
// IndexedDB and answers from that copy when there is no network, and it puts
// a queueable write that finds no network (or a 502/503/504) into the queue,
// answering 202 {queued: true}. Nothing here goes through the service
// worker's cache.
import { queueKind, type QueueKind } from './queue';

type FetchFn = typeof fetch;

/** The reads kept for offline use: what Today, the caseload and a client page ask. */
const cacheable = [
  /^\/api\/v1\/(today|tasks|appointments|referrals|group-sessions|reminders)(\?.*)?$/,
  /^\/api\/v1\/me\/progress(\/history)?(\?.*)?$/,
  /^\/api\/v1\/reference\/taxonomy(\?.*)?$/,
  /^\/api\/v1\/clients(\?.*)?$/,
  /^\/api\/v1\/clients\/[0-9a-f-]{36}(\/(timeline|barriers|consents|visits))?(\?.*)?$/,
];

export function isCacheable(path: string): boolean {
  return cacheable.some((re) => re.test(path));
}

export const QUEUED_HEADER = 'X-Brug-Queued';
export const OFFLINE_HEADER = 'X-Brug-Offline';

export interface OfflineDeps {
  base: FetchFn;
  /** Whether reads are kept now (a CHW signed in). */
  keepReads(): boolean;
  /** Whether a write may be queued now (someone signed in). */
  mayQueue(): boolean;
  /** The queue's own sends: they must fail as they are, not queue again. */
  isReplay(key: string): boolean;
  online(): boolean;
  saveRead(path: string, body: unknown): Promise<void>;
  loadRead(path: string): Promise<{ body: unknown; at: number } | undefined>;
  /** ifMatch: the version an edit was based on, kept with the item. */
  enqueue(kind: QueueKind, method: string, path: string, body: unknown, key: string, ifMatch?: string): Promise<number>;
  /** Told when an answer came from the saved copy (at) or from the network (null). */
  servedFrom(at: number | null): void;
}

function header(init: RequestInit | undefined, name: string): string {
  const h = (init?.headers ?? {}) as Record<string, string>;
  return h[name] ?? '';
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

/** fetch throws a TypeError when there is no answer at all. */
function isNetworkError(err: unknown): boolean {
  return err instanceof TypeError;
}

export function offlineFetch(d: OfflineDeps): FetchFn {
  return async (input, init) => {
    const path = typeof input === 'string' ? input : input instanceof URL ? input.pathname + input.search : input.url;
    const method = (init?.method ?? 'GET').toUpperCase();

    if (method === 'GET' && isCacheable(path) && d.keepReads()) {
      try {
        const res = await d.base(input, init);
        if (res.ok) {
          d.servedFrom(null);
          const body = await res.clone().json();
          await d.saveRead(path, body).catch(() => {});
        }
        return res;
      } catch (err) {
        const saved = isNetworkError(err) ? await d.loadRead(path).catch(() => undefined) : undefined;
        if (!saved) throw err;
        d.servedFrom(saved.at);
        return json(200, saved.body, { [OFFLINE_HEADER]: String(saved.at) });
      }
    }

    const kind = queueKind(method, path);
    const key = header(init, 'Idempotency-Key');
    if (!kind || !key || d.isReplay(key) || !d.mayQueue()) return d.base(input, init);

    const queue = async () => {
      const body = typeof init?.body === 'string' ? JSON.parse(init.body) : null;
      const seq = await d.enqueue(kind, method, path, body, key, header(init, 'If-Match') || undefined);
      return json(202, { queued: true, seq }, { [QUEUED_HEADER]: '1' });
    };
    // No network known: straight to the queue, no wait for a timeout.
    if (!d.online()) return queue();
    try {
      const res = await d.base(input, init);
      // The server may have done it: the queue sends it again with this key.
      if (res.status === 502 || res.status === 503 || res.status === 504) return queue();
      return res;
    } catch (err) {
      if (isNetworkError(err)) return queue();
      throw err;
    }
  };
}

/** Whether an API answer is the queue's receipt rather than the server's. */
export function isQueued(answer: unknown): boolean {
  return typeof answer === 'object' && answer !== null && (answer as { queued?: unknown }).queued === true;
}
