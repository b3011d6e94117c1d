import { describe, expect, it } from 'vitest';
import { actorKey, auditQuery, emptyFilters } from './audit';

describe('audit search query', () => {
  it('leaves out empty filters', () => {
    expect(auditQuery(emptyFilters())).toBe('');
  });
  it('trims, lower-cases actions and record types, and adds paging', () => {
    const f = { ...emptyFilters(), action: ' Client.Read ', entity: 'CLIENT', from: '2026-12-01' };
    expect(auditQuery(f, { cursor: 'abc', format: '' })).toBe('?action=client.read&entity=client&from=2026-12-01&cursor=abc');
  });
  it('keeps ids as typed', () => {
    expect(auditQuery({ ...emptyFilters(), actor_id: '0190-AB' })).toBe('?actor_id=0190-AB');
  });
});

describe('audit actor', () => {
  it('names the account, or says what acted without one', () => {
    expect(actorKey({ actor: { name: 'Ana' }, actor_role: 'chw' })).toBe('name');
    expect(actorKey({ actor: null, actor_role: 'system' })).toBe('audit.system');
    expect(actorKey({ actor: null, actor_role: 'anonymous' })).toBe('audit.anonymous');
  });
});
