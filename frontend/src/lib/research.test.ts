import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { makeExtract, readExtract } from './research';

const key = 'ab'.repeat(32);

function released(): Response {
  return new Response('pseudonym,birth_band\n00ff,1980-1989\n', {
    status: 201,
    headers: {
      'Content-Type': 'text/csv',
      'Content-Disposition': 'attachment; filename="brug-research-2026-12-02-abcd1234.csv"',
      'Brug-Extract-Key': key,
      'Brug-Extract-Id': '0193',
      'Brug-Extract-Rows': '6',
      'Brug-Extract-Generalised': '2',
      'Brug-Extract-Suppressed': '1',
    },
  });
}

describe('research extract', () => {
  it('reads the key and the counts from the headers', async () => {
    const e = await readExtract(released());
    expect(e.key).toBe(key);
    expect([e.rows, e.generalised, e.suppressed]).toEqual([6, 2, 1]);
    expect(e.filename).toBe('brug-research-2026-12-02-abcd1234.csv');
    expect(await e.csv.text()).toContain('1980-1989');
  });
  it('turns a refusal into an ApiError with the problem', async () => {
    const refused = () =>
      Promise.resolve(new Response(JSON.stringify({ type: 'x', title: 'Conflict', status: 409, detail: 'nothing was released', errors: [] }), { status: 409 }));
    await expect(makeExtract(refused as typeof fetch)).rejects.toSatisfy((e: unknown) => e instanceof ApiError && e.status === 409);
  });
  it('posts an empty JSON object', async () => {
    let sent: RequestInit | undefined;
    const f = (_url: string, init?: RequestInit) => {
      sent = init;
      return Promise.resolve(released());
    };
    await makeExtract(f as typeof fetch);
    expect(sent?.method).toBe('POST');
    expect(sent?.body).toBe('{}');
  });
});
