import { describe, expect, it } from 'vitest';
import { maxVisible, readParams, writeParams } from './reports';

describe('report helpers', () => {
  it('round-trips parameters through the address bar', () => {
    const p = { from: '2026-01-01', to: '2026-03-31', group_by: 'month' };
    expect(readParams(writeParams(p))).toEqual(p);
    expect(writeParams({ from: '', to: '', group_by: 'team' })).toBe('');
  });
  it('scales bars on visible values only', () => {
    expect(maxVisible([{ value: 3 }, { value: null, suppressed: true }, { value: 9 }])).toBe(9);
    expect(maxVisible([{ value: null, suppressed: true }])).toBe(0);
  });
});
