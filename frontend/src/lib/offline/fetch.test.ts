import { describe, expect, it, vi } from 'vitest';
import { isCacheable, isQueued, offlineFetch, OFFLINE_HEADER, type OfflineDeps } from './fetch';

function deps(over: Partial<OfflineDeps> = {}) {
  const reads = new Map<string, { body: unknown; at: number }>();
  const queued: { kind: string; method: string; path: string; body: unknown; key: string; ifMatch?: string }[] = [];
  const d: OfflineDeps = {
    base: vi.fn(async () => new Response('{"items":[1]}', { status: 200 })),
    keepReads: () => true,
    mayQueue: () => true,
    isReplay: () => false,
    online: () => true,
    saveRead: async (path, body) => void reads.set(path, { body, at: 7 }),
    loadRead: async (path) => reads.get(path),
    enqueue: async (kind, method, path, body, key, ifMatch) => queued.push({ kind, method, path, body, key, ...(ifMatch ? { ifMatch } : {}) }),
    servedFrom: () => {},
    ...over,
  };
  return { d, reads, queued };
}

const write = (key: string) => ({ method: 'POST', headers: { 'Idempotency-Key': key, 'Content-Type': 'application/json' }, body: '{"mode":"home"}' });
const noNetwork = async () => {
  throw new TypeError('Failed to fetch');
};

describe('offline fetch', () => {
  it('keeps a copy of a read and answers from it without a network', async () => {
    const { d, reads } = deps();
    const f = offlineFetch(d);
    await f('/api/v1/tasks?due=today', { method: 'GET' });
    expect(reads.get('/api/v1/tasks?due=today')?.body).toEqual({ items: [1] });
    d.base = noNetwork;
    const res = await f('/api/v1/tasks?due=today', { method: 'GET' });
    expect(res.headers.get(OFFLINE_HEADER)).toBe('7');
    expect(await res.json()).toEqual({ items: [1] });
    // A read never kept still fails as it would.
    await expect(f('/api/v1/tasks?due=week', { method: 'GET' })).rejects.toThrow(TypeError);
  });

  it('keeps no copy when no CHW is signed in, and none of other reads', async () => {
    const { d, reads } = deps({ keepReads: () => false });
    await offlineFetch(d)('/api/v1/tasks', { method: 'GET' });
    expect(reads.size).toBe(0);
    expect(isCacheable('/api/v1/reports/activity')).toBe(false);
    expect(isCacheable('/api/v1/clients/0190a1b2-0000-7000-8000-000000000001/timeline')).toBe(true);
  });

  it('keeps the Today page (one read for the day) for offline use', () => {
    expect(isCacheable('/api/v1/today')).toBe(true);
    expect(isCacheable('/api/v1/todays')).toBe(false);
  });

  it('queues a write that finds no network, with the key the request carried', async () => {
    const { d, queued } = deps({ base: noNetwork });
    const res = await offlineFetch(d)('/api/v1/clients/c1/visits', write('k-1'));
    expect(res.status).toBe(202);
    expect(isQueued(await res.json())).toBe(true);
    expect(queued).toEqual([{ kind: 'visit', method: 'POST', path: '/api/v1/clients/c1/visits', body: { mode: 'home' }, key: 'k-1' }]);
  });

  it('keeps the version an offline edit was based on (If-Match) with the item', async () => {
    const { d, queued } = deps({ online: () => false });
    await offlineFetch(d)('/api/v1/tasks/t1', { method: 'PATCH', headers: { 'Idempotency-Key': 'k-9', 'If-Match': '"v4"' }, body: '{"done":true}' });
    expect(queued).toEqual([{ kind: 'task', method: 'PATCH', path: '/api/v1/tasks/t1', body: { done: true }, key: 'k-9', ifMatch: '"v4"' }]);
  });

  it('queues on 503 without waiting, and straight away when the browser knows it is offline', async () => {
    const { d, queued } = deps({ base: vi.fn(async () => new Response('{}', { status: 503 })) });
    await offlineFetch(d)('/api/v1/tasks/t1', { ...write('k-2'), method: 'PATCH' });
    const off = deps({ online: () => false });
    await offlineFetch(off.d)('/api/v1/appointments/a1', { ...write('k-3'), method: 'PATCH' });
    expect(queued.map((q) => q.key)).toEqual(['k-2']);
    expect(off.queued.map((q) => q.kind)).toEqual(['appointment']);
    expect(off.d.base).not.toHaveBeenCalled();
  });

  it('passes a refusal through, never queues the queue\'s own sends or other writes', async () => {
    const refusal = deps({ base: vi.fn(async () => new Response('{}', { status: 422 })) });
    expect((await offlineFetch(refusal.d)('/api/v1/clients/c1/visits', write('k'))).status).toBe(422);
    const replay = deps({ base: noNetwork, isReplay: () => true });
    await expect(offlineFetch(replay.d)('/api/v1/clients/c1/visits', write('k'))).rejects.toThrow(TypeError);
    const other = deps({ base: noNetwork });
    await expect(offlineFetch(other.d)('/api/v1/clients', write('k'))).rejects.toThrow(TypeError);
    expect([...refusal.queued, ...replay.queued, ...other.queued]).toEqual([]);
  });
});
