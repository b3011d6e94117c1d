import { describe, expect, it } from 'vitest';
import { barrierNext, barrierStatuses, displayName, splitList } from './clients';

describe('clients helpers', () => {
  it('names a client by name, else pseudonym', () => {
    expect(displayName({ given_name: 'Amina', family_name: 'Diallo', pseudonym: 'Star' })).toBe('Amina Diallo');
    expect(displayName({ given_name: '', family_name: '', pseudonym: 'Star' })).toBe('Star');
  });
  it('splits comma lists', () => {
    expect(splitList(' Arabic, ,Tigrinya ')).toEqual(['Arabic', 'Tigrinya']);
  });
  it('offers only legal barrier transitions, never the current status', () => {
    for (const s of barrierStatuses) {
      expect(barrierNext[s].length).toBeGreaterThan(0);
      expect(barrierNext[s]).not.toContain(s);
    }
    expect(barrierNext.resolved).toEqual(['open']);
  });
});
