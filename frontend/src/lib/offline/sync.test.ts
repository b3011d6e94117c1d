import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { getMeta, idbQueue, loadRead, saveRead, setMeta } from './db';
import { enqueue } from './queue';
import { IDLE_LIMIT, offline, serverMessage } from './sync.svelte';
import { ApiError, type User } from '../api';
import { i18n } from '../i18n/index.svelte';

const user = { id: 'u1', role: 'chw', name: 'CHW', language: 'nl' } as User;
const item = { kind: 'visit' as const, method: 'POST', path: '/api/v1/clients/c/visits', body: {}, userId: 'u1', key: 'k' };

describe('offline lifetime', () => {
  it('an offline reload within 12 h gets the last user back', async () => {
    await setMeta('user', user);
    await setMeta('lastUse', Date.now() - 3600_000);
    expect((await offline.boot())?.id).toBe('u1');
  });

  it('12 h without use wipe everything at the next start, the queue too', async () => {
    await setMeta('user', user);
    await setMeta('lastUse', Date.now() - IDLE_LIMIT - 1000);
    await saveRead('/api/v1/tasks', { items: [] }, Date.now());
    await enqueue(idbQueue, item, 0);
    expect(await offline.boot()).toBeNull();
    expect(await loadRead('/api/v1/tasks')).toBeUndefined();
    expect(await idbQueue.all()).toEqual([]);
    expect(await getMeta('user')).toBeUndefined();
  });

  it('an expired session forgets the user and the copies, keeps unsent items for the same user', async () => {
    await offline.begin(user, true);
    await saveRead('/api/v1/tasks', { items: [] }, Date.now());
    await enqueue(idbQueue, item, 0);
    await offline.expired();
    expect(await getMeta('user')).toBeUndefined();
    expect(await loadRead('/api/v1/tasks')).toBeUndefined();
    expect(await idbQueue.all()).toHaveLength(1);
    // Another account signing in on this phone: the items are removed, never sent.
    await offline.begin({ ...user, id: 'u2' }, false);
    expect(await idbQueue.all()).toEqual([]);
  });

  it('a logout wipes the queue and the copies', async () => {
    await offline.begin(user, true);
    await enqueue(idbQueue, item, 0);
    await saveRead('/api/v1/clients', { items: [] }, Date.now());
    await offline.signedOut();
    expect(await idbQueue.all()).toEqual([]);
    expect(await loadRead('/api/v1/clients')).toBeUndefined();
    expect(offline.items).toEqual([]);
  });

  it('says why the server refused an item in the user\'s language, each bad field named', () => {
    const problem = (status: number, extra: object = {}) => new ApiError(status, { type: 'about:blank', title: 'x', status, detail: 'English detail.', errors: [], ...extra });
    i18n.choose('nl');
    try {
      expect(serverMessage(problem(412))).toMatch(/^Iemand anders wijzigde dit dossier/);
      expect(serverMessage(problem(404))).toMatch(/^Je kunt dit dossier niet meer openen/);
      const fields = serverMessage(problem(422, { errors: [{ field: 'duration_minutes', code: 'range', message: 'Must be between 1 and 600.', params: { min: 1, max: 600 } }] }));
      expect(fields).toMatch(/^Sommige waarden werden niet aanvaard: /);
      expect(fields).not.toMatch(/Must be between/);
      expect(fields).toMatch(/600/);
      expect(serverMessage(problem(409))).toBe('English detail.');
    } finally {
      i18n.choose('en');
    }
  });
});
