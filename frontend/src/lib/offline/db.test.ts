import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { getMeta, idbQueue, loadRead, pruneReads, saveRead, setMeta, wipe } from './db';
import { enqueue } from './queue';

const item = { kind: 'visit' as const, method: 'POST', path: '/api/v1/clients/c/visits', body: { note: 'x' }, userId: 'u', key: 'k' };

describe('offline storage', () => {
  it('a logout wipes the queue, the copies and whose data it was', async () => {
    await saveRead('/api/v1/tasks', { items: [] }, 1);
    await setMeta('lastUse', 5);
    await enqueue(idbQueue, item, 0);
    await wipe();
    expect(await loadRead('/api/v1/tasks')).toBeUndefined();
    expect(await getMeta('lastUse')).toBeUndefined();
    expect(await idbQueue.all()).toEqual([]);
  });

  it('an expired session wipes the copies but can keep the unsent items', async () => {
    await saveRead('/api/v1/clients', { items: [] }, 1);
    await enqueue(idbQueue, item, 0);
    await wipe(true);
    expect(await loadRead('/api/v1/clients')).toBeUndefined();
    expect((await idbQueue.all()).map((i) => i.key)).toEqual(['k']);
    await wipe();
  });

  it('drops copies older than the limit', async () => {
    await saveRead('/old', 1, 10);
    await saveRead('/new', 2, 100);
    await pruneReads(50);
    expect(await loadRead('/old')).toBeUndefined();
    expect((await loadRead('/new'))?.body).toBe(2);
  });
});
