import { describe, expect, it } from 'vitest';
import { closeProblem, defaultTeam, municipalityOf, primaryAction, sortQueue, type ContactRequest } from './intake';

const req = (over: Partial<ContactRequest>): ContactRequest =>
  ({ id: 'x', kind: 'want_chw', status: 'new', overdue: false, created_at: '2026-12-01T10:00:00Z', team_id: null, ...over }) as ContactRequest;

describe('intake', () => {
  it('offers partner for collaboration offers and convert otherwise', () => {
    expect(primaryAction({ kind: 'collaboration' })).toBe('partner');
    expect(primaryAction({ kind: 'want_chw' })).toBe('convert');
    expect(primaryAction({ kind: 'question' })).toBe('convert');
  });
  it('picks the team of the request, or the only team, or none', () => {
    expect(defaultTeam({ team_id: 'a' }, ['a', 'b'])).toBe('a');
    expect(defaultTeam({ team_id: null }, ['b'])).toBe('b');
    expect(defaultTeam({ team_id: null }, ['a', 'b'])).toBeNull();
    expect(defaultTeam({ team_id: 'z' }, ['a', 'b'])).toBeNull();
  });
  it('puts overdue requests first, then the oldest', () => {
    const out = sortQueue([
      req({ id: 'new', created_at: '2026-12-03T10:00:00Z' }),
      req({ id: 'old', created_at: '2026-12-01T10:00:00Z' }),
      req({ id: 'late', overdue: true, created_at: '2026-11-20T10:00:00Z' }),
    ]);
    expect(out.map((r) => r.id)).toEqual(['late', 'old', 'new']);
  });
  it('needs a known reason, and a note for "other"', () => {
    expect(closeProblem('', '')).toBe('reason');
    expect(closeProblem('other', '  ')).toBe('note');
    expect(closeProblem('other', 'moved away')).toBeNull();
    expect(closeProblem('spam', '')).toBeNull();
  });
  it('reads the municipality from a suggestion', () => {
    expect(municipalityOf('Rabot (Gent)')).toBe('Gent');
    expect(municipalityOf('Sous-les-Vignes (Sclessin) (Liège)')).toBe('Liège');
    expect(municipalityOf('Tienen')).toBe('Tienen');
  });
});
