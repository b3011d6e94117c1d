import { beforeEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, configure, hasSessionHint, login, setAccessToken } from './api';

function json(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

const tokens = (access: string) => ({ access_token: access, token_type: 'Bearer', expires_in: 900, refresh_token: 'r', user: { id: 'u' } });

describe('api', () => {
  beforeEach(() => setAccessToken(null));

  it('sends the bearer token and parses JSON', async () => {
    const fetch = vi.fn(async () => json(200, { ok: 1 }));
    configure({ fetch: fetch as unknown as typeof globalThis.fetch });
    setAccessToken('A1');
    expect(await api('GET', '/api/v1/me')).toEqual({ ok: 1 });
    const init = (fetch.mock.calls[0] as unknown[])[1] as RequestInit;
    expect((init.headers as Record<string, string>).Authorization).toBe('Bearer A1');
  });

  it('refreshes once on 401 and retries with the new token', async () => {
    const seen: string[] = [];
    const fetch = vi.fn(async (url: string, init: RequestInit) => {
      const auth = (init.headers as Record<string, string>).Authorization ?? '';
      seen.push(`${url} ${auth}`);
      if (url === '/api/v1/auth/refresh') return json(200, tokens('A2'));
      return auth === 'Bearer A2' ? json(200, { ok: 2 }) : json(401, { status: 401, errors: [] });
    });
    configure({ fetch: fetch as unknown as typeof globalThis.fetch });
    setAccessToken('A1');
    expect(await api('GET', '/api/v1/me')).toEqual({ ok: 2 });
    expect(seen).toEqual(['/api/v1/me Bearer A1', '/api/v1/auth/refresh ', '/api/v1/me Bearer A2']);
  });

  it('shares one refresh between concurrent 401s', async () => {
    let refreshes = 0;
    const fetch = vi.fn(async (url: string, init: RequestInit) => {
      if (url === '/api/v1/auth/refresh') {
        refreshes++;
        return json(200, tokens('B2'));
      }
      const auth = (init.headers as Record<string, string>).Authorization;
      return auth === 'Bearer B2' ? json(200, {}) : json(401, { status: 401, errors: [] });
    });
    configure({ fetch: fetch as unknown as typeof globalThis.fetch });
    setAccessToken('B1');
    await Promise.all([api('GET', '/a'), api('GET', '/b'), api('GET', '/c')]);
    expect(refreshes).toBe(1);
  });

  it('ends the session when the refresh fails', async () => {
    const ended = vi.fn();
    const fetch = vi.fn(async () => json(401, { status: 401, errors: [] }));
    configure({ fetch: fetch as unknown as typeof globalThis.fetch, onSessionEnded: ended });
    setAccessToken('C1');
    await expect(api('GET', '/api/v1/me')).rejects.toBeInstanceOf(ApiError);
    expect(ended).toHaveBeenCalledOnce();
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('exposes problem fields and Retry-After', async () => {
    const fetch = vi.fn(async () =>
      json(429, { status: 429, title: 'Too many', errors: [{ field: 'email', code: 'x', message: 'm' }] }, { 'Retry-After': '42' }),
    );
    configure({ fetch: fetch as unknown as typeof globalThis.fetch });
    const err = (await login('a@b.c', 'x').catch((e) => e)) as ApiError;
    expect(err.status).toBe(429);
    expect(err.retryAfter).toBe(42);
    expect(err.fields().email.code).toBe('x');
  });

  it('never retries the auth endpoints themselves', async () => {
    const fetch = vi.fn(async () => json(401, { status: 401, errors: [] }));
    configure({ fetch: fetch as unknown as typeof globalThis.fetch });
    await expect(login('a@b.c', 'x')).rejects.toBeInstanceOf(ApiError);
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});

describe('session hint', () => {
  it('reads only the brug_session=1 cookie', () => {
    expect(hasSessionHint('')).toBe(false);
    expect(hasSessionHint('brug_session=1')).toBe(true);
    expect(hasSessionHint('lang=nl; brug_session=1; x=y')).toBe(true);
    expect(hasSessionHint('brug_session=0')).toBe(false);
    expect(hasSessionHint('not_brug_session=1')).toBe(false);
    expect(hasSessionHint('brug_refresh=secret')).toBe(false);
  });
});

describe('Idempotency-Key', () => {
  beforeEach(() => setAccessToken('A1'));

  const keyOf = (call: unknown[]) => ((call[1] as RequestInit).headers as Record<string, string>)['Idempotency-Key'];

  it('sends a key with a write and the same key on the retry after a refresh', async () => {
    const fetch = vi.fn(async (url: string, init: RequestInit) => {
      if (url === '/api/v1/auth/refresh') return json(200, tokens('A2'));
      const auth = (init.headers as Record<string, string>).Authorization;
      return auth === 'Bearer A2' ? json(201, { id: 'v' }) : json(401, { status: 401, errors: [] });
    });
    configure({ fetch: fetch as unknown as typeof globalThis.fetch });
    await api('POST', '/api/v1/clients/c/visits', { mode: 'home' });
    const writes = fetch.mock.calls.filter((c) => c[0] !== '/api/v1/auth/refresh');
    expect(writes).toHaveLength(2);
    expect(keyOf(writes[0])).toMatch(/^[0-9a-f-]{36}$/);
    expect(keyOf(writes[1])).toBe(keyOf(writes[0]));
  });

  it('makes a new key per action, keeps the caller\'s, and sends none on a read', async () => {
    const fetch = vi.fn(async () => json(200, {}));
    configure({ fetch: fetch as unknown as typeof globalThis.fetch });
    await api('PATCH', '/api/v1/tasks/t', { done: true });
    await api('PATCH', '/api/v1/tasks/t', { done: true });
    await api('POST', '/api/v1/clients/c/visits', {}, { idempotencyKey: 'given-key' });
    await api('GET', '/api/v1/tasks');
    const keys = fetch.mock.calls.map((c) => keyOf(c as unknown[]));
    expect(keys[0]).not.toBe(keys[1]);
    expect(keys[2]).toBe('given-key');
    expect(keys[3]).toBeUndefined();
  });
});
