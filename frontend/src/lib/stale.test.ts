import { beforeEach, describe, expect, it, vi } from 'vitest';
import { configure, setAccessToken } from './api';
import { editRecord, showValue, staleDiff, staleRecord, type DiffRow } from './stale';

function json(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

describe('staleDiff', () => {
  const before = { id: 'c1', version: 3, phone: '0470 11 22 33', language: 'nl', note: 'a', updated_at: '2026-01-01' };

  it('shows your edit beside what is saved now and marks what they changed', () => {
    const theirs = { ...before, version: 4, phone: '0470 99 99 99', updated_at: '2026-01-02' };
    const rows = staleDiff(before, { phone: '0470 55 55 55', language: 'fr' }, theirs);
    expect(rows).toEqual<DiffRow[]>([
      { field: 'phone', yours: '0470 55 55 55', theirs: '0470 99 99 99', changedByThem: true },
      { field: 'language', yours: 'fr', theirs: 'nl', changedByThem: false },
    ]);
  });

  it('adds the fields they changed that you did not touch, and leaves bookkeeping out', () => {
    const theirs = { ...before, version: 9, note: 'b', updated_at: '2026-02-02', last_activity_at: 'x' };
    expect(staleDiff(before, { language: 'fr' }, theirs)).toEqual<DiffRow[]>([
      { field: 'language', yours: 'fr', theirs: 'nl', changedByThem: false },
      { field: 'note', yours: 'a', theirs: 'b', changedByThem: true },
    ]);
  });

  it('leaves out a field already saved the way you wanted, and compares lists by value', () => {
    const b = { tags: ['x', 'y'], status: 'open' };
    const theirs = { tags: ['x', 'y'], status: 'done' };
    expect(staleDiff(b, { tags: ['x', 'y'], status: 'done' }, theirs)).toEqual([]);
    expect(staleDiff(b, { tags: ['y'] }, theirs).map((r) => r.field)).toEqual(['tags', 'status']);
  });

  it('shows values: names of references, lists joined, empty marked', () => {
    expect(showValue(null, '—')).toBe('—');
    expect(showValue('', '—')).toBe('—');
    expect(showValue(['nl', 'fr'], '—')).toBe('nl, fr');
    expect(showValue({ id: 'u', name: 'Hanne' }, '—')).toBe('Hanne');
    expect(showValue(false, '—')).toBe('false');
  });
});

describe('editRecord', () => {
  beforeEach(() => setAccessToken('A'));
  const stale412 = (current: Record<string, unknown>) =>
    json(412, { type: 'about:blank', title: 'Stale', status: 412, errors: [{ field: 'If-Match', code: 'stale', message: 'x' }], current, version: current.version });

  it('sends If-Match with the version it was based on', async () => {
    const fetch = vi.fn(async () => json(200, { id: 't', version: 2, done: true }));
    configure({ fetch: fetch as unknown as typeof globalThis.fetch });
    const out = await editRecord('/api/v1/tasks/t', { id: 't', version: 1 }, { done: true }, async () => 'mine');
    expect(out).toEqual({ saved: true, record: { id: 't', version: 2, done: true } });
    const init = (fetch.mock.calls[0] as unknown[])[1] as RequestInit;
    expect((init.headers as Record<string, string>)['If-Match']).toBe('"v1"');
  });

  it('keeps theirs: nothing sent again, the record as it is now', async () => {
    const now = { id: 't', version: 5, done: false, note: 'theirs' };
    const fetch = vi.fn(async () => stale412(now));
    configure({ fetch: fetch as unknown as typeof globalThis.fetch });
    const ask = vi.fn(async () => 'theirs' as const);
    const out = await editRecord('/api/v1/tasks/t', { id: 't', version: 1, done: false, note: 'mine' }, { done: true }, ask);
    expect(out).toEqual({ saved: false, record: now });
    expect(fetch).toHaveBeenCalledTimes(1);
    expect((ask.mock.calls[0] as unknown[])[0]).toEqual([
      { field: 'done', yours: true, theirs: false, changedByThem: false },
      { field: 'note', yours: 'mine', theirs: 'theirs', changedByThem: true },
    ]);
  });

  it('saves mine over it: sent again with the new version', async () => {
    const headers: string[] = [];
    const fetch = vi.fn(async (_url: string, init: RequestInit) => {
      headers.push((init.headers as Record<string, string>)['If-Match']);
      return headers.length === 1 ? stale412({ id: 't', version: 7, done: false }) : json(200, { id: 't', version: 8, done: true });
    });
    configure({ fetch: fetch as unknown as typeof globalThis.fetch });
    const out = await editRecord('/api/v1/tasks/t', { id: 't', version: 6, done: false }, { done: true }, async () => 'mine');
    expect(out.saved).toBe(true);
    expect(headers).toEqual(['"v6"', '"v7"']);
  });

  it('throws other errors, and a 412 without a record is not a conflict', async () => {
    configure({ fetch: (async () => json(412, { type: 'x', title: 'x', status: 412, errors: [] })) as unknown as typeof globalThis.fetch });
    await expect(editRecord('/api/v1/tasks/t', { version: 1 }, { done: true }, async () => 'mine')).rejects.toMatchObject({ status: 412 });
    expect(staleRecord(new Error('x'))).toBeNull();
  });
});
