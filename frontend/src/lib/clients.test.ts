import spec from '../../../api/openapi.yaml?raw';
import { describe, expect, it } from 'vitest';
import { barrierNext, barrierStatuses, changedFieldKeys, displayName, refName, splitList, timelineTypes } from './clients';
import { catalogs, type MessageKey } from './i18n/index.svelte';

describe('clients helpers', () => {
  it('names a client by name, else pseudonym', () => {
    expect(displayName({ given_name: 'Amina', family_name: 'Diallo', pseudonym: 'Star' })).toBe('Amina Diallo');
    expect(displayName({ given_name: '', family_name: '', pseudonym: 'Star' })).toBe('Star');
  });
  it('names an erased client by the label it is given, never by what is left', () => {
    const erased = { given_name: '', family_name: '', pseudonym: '', erased_at: '2026-10-20T09:00:00Z' };
    expect(displayName(erased, 'Erased client')).toBe('Erased client');
    expect(displayName({ ...erased, given_name: 'Amina' }, 'Gewiste cliënt')).toBe('Gewiste cliënt');
    for (const lang of Object.keys(catalogs) as (keyof typeof catalogs)[]) expect(catalogs[lang]['client.erased'], lang).toBeTruthy();
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

describe('timeline', () => {
  it('knows every entry type the API documents, each with a text in every language', () => {
    const m = /clientTimeline[\s\S]*?type: \{type: string, enum: \[([^\]]+)\]\}/.exec(spec);
    expect(m).not.toBeNull();
    const documented = m![1].split(',').map((s) => s.trim());
    expect([...timelineTypes].sort()).toEqual([...documented].sort());
    for (const lang of Object.keys(catalogs) as (keyof typeof catalogs)[]) {
      for (const type of timelineTypes) expect(catalogs[lang][`tl.${type}` as MessageKey], `${lang} tl.${type}`).toBeTruthy();
    }
  });

  it('names the changed fields, once each, unknown ones as other details', () => {
    expect(changedFieldKeys(['language', 'phone'])).toEqual(['fieldName.language', 'fieldName.phone']);
    expect(changedFieldKeys(['mode', 'secret_column', 'another'])).toEqual(['fieldName.mode', 'fieldName.other']);
    expect(changedFieldKeys(undefined)).toEqual([]);
    for (const lang of Object.keys(catalogs) as (keyof typeof catalogs)[]) {
      for (const k of changedFieldKeys(['given_name', 'family_name', 'pseudonym', 'birth_year', 'phone', 'email', 'language', 'spoken_languages',
        'care_rights', 'source', 'status', 'close_reason', 'neighbourhood_id', 'visited_at', 'mode', 'duration_minutes', 'missions', 'topics', 'note', 'barriers', 'x'])) {
        expect(catalogs[lang][k], `${lang} ${k}`).toBeTruthy();
      }
    }
  });
});

describe('refName', () => {
  it('names an erased client in lists', () => {
    expect(refName({ name: 'Amina Diallo' }, 'Erased client')).toBe('Amina Diallo');
    expect(refName({ name: '' }, 'Erased client')).toBe('Erased client');
    expect(refName({ name: '  ' }, 'Gewist dossier')).toBe('Gewist dossier');
    expect(refName(null, 'Erased client')).toBe('Erased client');
  });
});
