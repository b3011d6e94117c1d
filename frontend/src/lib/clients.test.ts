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

import { canChangeVisit, duplicateKey, mergeConflicts, type Client } from './clients';

describe('duplicates and merging', () => {
  it('tells only what the caller may know', () => {
    expect(duplicateKey({ candidates: ['a'], in_team: true })).toBe('client.duplicate');
    expect(duplicateKey({ candidates: [], in_team: true, elsewhere: true })).toBe('client.duplicateInTeam');
    expect(duplicateKey({ candidates: [], in_team: false, elsewhere: true })).toBe('client.duplicateElsewhere');
  });
  it('lists the fields that differ', () => {
    const a = { given_name: 'Claire', family_name: 'Dupont', pseudonym: '', birth_year: 1990, phone: null, email: null, language: 'fr', spoken_languages: [], care_rights: ['gmd'], source: 'outreach', status: 'active' } as unknown as Client;
    const b = { ...a, given_name: 'Clàire', phone: '+32470123456', care_rights: ['gmd'] } as Client;
    expect(mergeConflicts(a, b)).toEqual(['given_name', 'phone']);
  });
  it('lets the CHW who logged a visit change it within 24 hours, a coordinator always', () => {
    const now = Date.parse('2026-09-08T10:00:00Z');
    expect(canChangeVisit('chw', 'u1', 'u1', '2026-09-07T11:00:00Z', now)).toBe(true);
    expect(canChangeVisit('chw', 'u1', 'u1', '2026-09-07T09:00:00Z', now)).toBe(false);
    expect(canChangeVisit('chw', 'u2', 'u1', '2026-09-08T09:00:00Z', now)).toBe(false);
    expect(canChangeVisit('coordinator', 'c', 'u1', '2026-01-01T00:00:00Z', now)).toBe(true);
  });
});
