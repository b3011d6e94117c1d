import { describe, expect, it } from 'vitest';
import { addMonths, barPercent, brusselsMonth, changedGoals, expectedBy, isBehind, monthLabel, monthRange, pacePercent } from './targets';

describe('pace', () => {
  it('spreads a goal over the calendar days of the month', () => {
    expect(expectedBy(35, 18, 30)).toBe(21);
    expect(expectedBy(40, 1, 31)).toBe(1.3);
    expect(expectedBy(40, 31, 31)).toBe(40);
    expect(expectedBy(10, 0, 30)).toBe(0);
    expect(expectedBy(10, 5, 0)).toBe(0);
  });
  it('is behind below the expected count rounded down, as the server says', () => {
    expect(isBehind('count', 20, 35, 18, 30)).toBe(true);
    expect(isBehind('count', 21, 35, 18, 30)).toBe(false);
    // 40 × 3 / 31 = 3.9: three visits keep pace.
    expect(isBehind('count', 3, 40, 3, 31)).toBe(false);
    expect(isBehind('count', 2, 40, 3, 31)).toBe(true);
    expect(isBehind('count', 0, null, 18, 30)).toBe(false);
    expect(isBehind('count', null, 10, 18, 30)).toBe(false);
  });
  it('judges a share against its goal whatever the day', () => {
    expect(isBehind('percent', 79, 80, 1, 30)).toBe(true);
    expect(isBehind('percent', 80, 80, 1, 30)).toBe(false);
  });
  it('fills bars and places the pace marker within 0–100', () => {
    expect(barPercent(12, 40)).toBe(30);
    expect(barPercent(50, 40)).toBe(100);
    expect(barPercent(0, 0)).toBe(100);
    expect(barPercent(null, 40)).toBe(0);
    expect(pacePercent(15, 30)).toBe(50);
    expect(pacePercent(40, 30)).toBe(100);
  });
  it('names the Brussels month, also on New Year’s Eve late in UTC', () => {
    expect(brusselsMonth(new Date('2026-12-31T23:30:00Z'))).toBe('2027-01');
    expect(brusselsMonth(new Date('2026-11-18T09:30:00Z'))).toBe('2026-11');
  });
  it('sends only the goals a form changed, a cleared one as null', () => {
    expect(changedGoals({ visits: '40', new_clients: '' }, { visits: '40', new_clients: '6' })).toEqual({ new_clients: 6 });
    expect(changedGoals({ visits: '40' }, { visits: ' ' })).toEqual({ visits: null });
    // A number input's binding: a number, or null once emptied.
    expect(changedGoals({ visits: '25', new_clients: '' }, { visits: 30, new_clients: null })).toEqual({ visits: 30 });
    expect(changedGoals({ visits: '25' }, { visits: null })).toEqual({ visits: null });
  });
});

describe('months', () => {
  it('adds months across years both ways, and lists a range oldest first', () => {
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2026-03', -15)).toBe('2024-12');
    expect(monthRange('2026-12', -2, 1)).toEqual(['2026-10', '2026-11', '2026-12', '2027-01']);
    expect(monthRange('2026-12', -12, 0)).toHaveLength(13);
  });

  it('names a month in the language asked', () => {
    expect(monthLabel('2026-11', 'long', 'en')).toBe('November 2026');
    expect(monthLabel('2026-11', 'long', 'nl')).toBe('november 2026');
    expect(monthLabel('2026-02', 'long', 'fr')).toBe('février 2026');
    expect(monthLabel('2026-03', 'long', 'de')).toBe('März 2026');
  });
});
