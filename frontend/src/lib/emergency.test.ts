import { describe, expect, it } from 'vitest';
import { grantFor, lookupBody, reasonValid } from './emergency';

describe('emergency access', () => {
  it('needs a reason of 10 to 500 characters', () => {
    expect(reasonValid('  ill     ')).toBe(false);
    expect(reasonValid('Colleague is ill')).toBe(true);
    expect(reasonValid('x'.repeat(501))).toBe(false);
  });
  it('looks up by phone first, else by name and birth year', () => {
    expect(lookupBody(' 0470 12 34 56 ', 'A', 'B', '1980')).toEqual({ phone: '0470 12 34 56' });
    expect(lookupBody('', ' Noémie ', 'Glas', '1980')).toEqual({ given_name: 'Noémie', family_name: 'Glas', birth_year: 1980 });
    expect(lookupBody('', 'Noémie', 'Glas', '')).toEqual({ given_name: 'Noémie', family_name: 'Glas' });
  });
  it('finds the grant of a client', () => {
    const g = { id: 'g', client_id: 'c', reason: 'r', granted_at: '', expires_at: '' };
    expect(grantFor([g], 'c')).toBe(g);
    expect(grantFor([g], 'd')).toBeUndefined();
  });
});
