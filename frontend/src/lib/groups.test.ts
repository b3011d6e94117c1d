import { describe, expect, it } from 'vitest';
import { ageBandsBody, ageSum, canMarkHeld, languageName, splitSessions, type GroupSession } from './groups';

const at = (iso: string, status: GroupSession['status'] = 'planned') => ({ starts_at: iso, status }) as GroupSession;

describe('group sessions', () => {
  it('splits upcoming (soonest first) from past (latest first)', () => {
    const now = new Date('2026-03-10T12:00:00Z');
    const { upcoming, past } = splitSessions([at('2026-03-01T10:00:00Z'), at('2026-03-20T10:00:00Z'), at('2026-03-09T10:00:00Z'), at('2026-03-11T10:00:00Z')], now);
    expect(upcoming.map((s) => s.starts_at)).toEqual(['2026-03-11T10:00:00Z', '2026-03-20T10:00:00Z']);
    expect(past.map((s) => s.starts_at)).toEqual(['2026-03-09T10:00:00Z', '2026-03-01T10:00:00Z']);
  });
  it('sends only the age bands filled in', () => {
    expect(ageBandsBody({ '0-17': '', '18-29': '4', '30-49': ' 6 ' })).toEqual({ '18-29': 4, '30-49': 6 });
    expect(ageBandsBody({ '0-17': '' })).toBeNull();
    expect(ageBandsBody({ '0-17': 2, '18-29': null })).toEqual({ '0-17': 2 });
    expect(ageSum({ '18-29': '4', '30-49': '6' })).toBe(10);
  });
  it('marks held only a planned session that started', () => {
    const now = new Date('2026-03-10T12:00:00Z');
    expect(canMarkHeld(at('2026-03-10T11:00:00Z'), now)).toBe(true);
    expect(canMarkHeld(at('2026-03-10T13:00:00Z'), now)).toBe(false);
    expect(canMarkHeld(at('2026-03-10T11:00:00Z', 'held'), now)).toBe(false);
  });
  it('names languages in the interface language', () => {
    expect(languageName('ar', 'en', 'Other')).toBe('Arabic');
    expect(languageName('other', 'fr', 'Autre langue')).toBe('Autre langue');
  });
});
