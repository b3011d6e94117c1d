import { describe, expect, it } from 'vitest';
import { backoff, enqueue, itemsOf, memoryStore, queueKind, reapply, retry, syncOnce, wake, type QueueItem, type SendResult } from './queue';

const visit = (n: number, userId = 'u1') => ({
  kind: 'visit' as const,
  method: 'POST',
  path: `/api/v1/clients/c${n}/visits`,
  body: { mode: 'home', duration_minutes: 30, note: `n${n}` },
  userId,
  key: `key-${n}`,
});

/** A server that answers from a script and records what it was sent. */
function server(script: (item: QueueItem, call: number) => SendResult) {
  const seen: { path: string; key: string }[] = [];
  return {
    seen,
    send: async (item: QueueItem) => {
      seen.push({ path: item.path, key: item.key });
      return script(item, seen.length);
    },
  };
}

describe('offline queue', () => {
  it('sends in the order the items were made and empties the queue', async () => {
    const store = memoryStore();
    for (const n of [3, 1, 2]) await enqueue(store, visit(n), 0);
    const s = server(() => ({ ok: true }));
    let told = 0;
    const out = await syncOnce(store, 'u1', s.send, () => 0, () => told++);
    expect(s.seen.map((x) => x.path)).toEqual(['/api/v1/clients/c3/visits', '/api/v1/clients/c1/visits', '/api/v1/clients/c2/visits']);
    expect(told).toBe(3);
    expect(out).toEqual({ sent: 3, refused: 0, stopped: false });
    expect(await store.all()).toEqual([]);
  });

  it('keeps the key on a retry after a network error and lets nothing overtake the item', async () => {
    const store = memoryStore();
    await enqueue(store, visit(1), 0);
    await enqueue(store, visit(2), 0);
    let now = 0;
    const s = server((_i, call) => (call === 1 ? { ok: false, network: true, message: 'Failed to fetch' } : { ok: true }));
    const first = await syncOnce(store, 'u1', s.send, () => now);
    expect(first.stopped).toBe(true);
    expect(s.seen).toHaveLength(1);
    const [held] = await itemsOf(store, 'u1');
    expect(held.attempts).toBe(1);
    expect(held.nextAt).toBe(backoff(1));
    // Before the back-off ends nothing is sent.
    await syncOnce(store, 'u1', s.send, () => now);
    expect(s.seen).toHaveLength(1);
    now = backoff(1);
    await syncOnce(store, 'u1', s.send, () => now);
    expect(s.seen.map((x) => x.key)).toEqual(['key-1', 'key-1', 'key-2']);
    expect(await store.all()).toEqual([]);
  });

  it('treats 5xx, 429 and 401 as passing: same key later; backs off up to 5 minutes', async () => {
    for (const status of [500, 503, 429, 401]) {
      const store = memoryStore();
      await enqueue(store, visit(1), 0);
      const out = await syncOnce(store, 'u1', async () => ({ ok: false, status, message: 'later' }), () => 0);
      expect(out.stopped, String(status)).toBe(true);
      const [item] = await store.all();
      expect(item.state).toBe('waiting');
      expect(item.key).toBe('key-1');
    }
    expect(backoff(1)).toBe(2000);
    expect(backoff(2)).toBe(4000);
    expect(backoff(30)).toBe(300_000);
  });

  it('keeps a refused item with the server\'s message, goes on with the rest, and retries it with its key', async () => {
    const store = memoryStore();
    await enqueue(store, visit(1), 0);
    await enqueue(store, visit(2), 0);
    let refuse = true;
    const s = server((item) => (item.key === 'key-1' && refuse ? { ok: false, status: 404, message: 'Not found: the client was transferred.' } : { ok: true }));
    const out = await syncOnce(store, 'u1', s.send, () => 0);
    expect(out).toEqual({ sent: 1, refused: 1, stopped: false });
    const left = await store.all();
    expect(left).toHaveLength(1);
    expect(left[0]).toMatchObject({ key: 'key-1', state: 'refused', error: { status: 404, message: 'Not found: the client was transferred.' } });
    // A later pass does not send it again by itself …
    await syncOnce(store, 'u1', s.send, () => 0);
    expect(s.seen.filter((x) => x.key === 'key-1')).toHaveLength(1);
    // … the user's Retry does, with the same key.
    refuse = false;
    await retry(store, left[0].seq, 0);
    await syncOnce(store, 'u1', s.send, () => 0);
    expect(s.seen.filter((x) => x.key === 'key-1')).toHaveLength(2);
    expect(await store.all()).toEqual([]);
  });

  it('sends only the signed-in user\'s items', async () => {
    const store = memoryStore();
    await enqueue(store, visit(1, 'u1'), 0);
    await enqueue(store, visit(2, 'u2'), 0);
    const s = server(() => ({ ok: true }));
    await syncOnce(store, 'u2', s.send, () => 0);
    expect(s.seen.map((x) => x.key)).toEqual(['key-2']);
    expect((await store.all()).map((i) => i.userId)).toEqual(['u1']);
  });

  it('an edit that met a newer version waits with that record; kept anyway, it goes on the new version under a new key', async () => {
    const store = memoryStore();
    const edit = { kind: 'task' as const, method: 'PATCH', path: '/api/v1/tasks/t1', body: { done: true }, userId: 'u1', key: 'key-e', ifMatch: '"v2"' };
    await enqueue(store, edit, 0);
    await enqueue(store, visit(2), 0);
    const sent: { key: string; ifMatch?: string }[] = [];
    const current = { id: 't1', version: 3, note: 'changed by a colleague' };
    const send = async (i: QueueItem): Promise<SendResult> => {
      sent.push({ key: i.key, ifMatch: i.ifMatch });
      return i.ifMatch === '"v2"' ? { ok: false, status: 412, message: 'changed', conflict: { version: 3, current } } : { ok: true };
    };
    const out = await syncOnce(store, 'u1', send, () => 0);
    // The conflict stops nothing behind it; the edit stays with what is saved now.
    expect(out).toEqual({ sent: 1, refused: 1, stopped: false });
    const [held] = await itemsOf(store, 'u1');
    expect(held).toMatchObject({ state: 'refused', ifMatch: '"v2"', conflict: { version: 3, current }, error: { status: 412 } });
    // A plain retry sends the same request again, so it meets the same answer.
    await retry(store, held.seq, 0);
    await syncOnce(store, 'u1', send, () => 0);
    expect((await itemsOf(store, 'u1'))[0].state).toBe('refused');
    // Keeping mine: based on v3, under a new key; then it is sent.
    await reapply(store, held.seq, 'key-e2', 5);
    const [again] = await itemsOf(store, 'u1');
    expect(again).toMatchObject({ state: 'waiting', key: 'key-e2', ifMatch: '"v3"', nextAt: 5 });
    expect(again.conflict).toBeUndefined();
    expect(again.error).toBeUndefined();
    await syncOnce(store, 'u1', send, () => 5);
    expect(await store.all()).toEqual([]);
    expect(sent.map((s) => `${s.key} ${s.ifMatch ?? '-'}`)).toEqual(['key-e "v2"', 'key-2 -', 'key-e "v2"', 'key-e2 "v3"']);
    // Only an item with a conflict can be re-applied.
    const v = await enqueue(store, visit(3), 0);
    await reapply(store, v.seq, 'other', 0);
    expect((await store.all())[0].key).toBe('key-3');
  });

  it('wakes every waiting item when the network returns', async () => {
    const store = memoryStore();
    const item = await enqueue(store, visit(1), 0);
    await store.put({ ...item, nextAt: 99_000 });
    await wake(store, 5);
    expect((await store.all())[0].nextAt).toBe(5);
  });

  it('knows which writes queue', () => {
    expect(queueKind('POST', '/api/v1/clients/abc/visits')).toBe('visit');
    expect(queueKind('PATCH', '/api/v1/tasks/abc')).toBe('task');
    expect(queueKind('POST', '/api/v1/tasks')).toBe('note');
    expect(queueKind('PATCH', '/api/v1/appointments/abc')).toBe('appointment');
    expect(queueKind('PATCH', '/api/v1/clients/abc')).toBeNull();
    expect(queueKind('GET', '/api/v1/tasks')).toBeNull();
  });
});
