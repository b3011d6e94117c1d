import { describe, expect, it } from 'vitest';
import { addDays, brusselsPast, brusselsToday, hasStarted, isOverdue, isStuck, reminderNote, splitLocal } from './care';

describe('care helpers', () => {
  it('gives the Brussels date, not the UTC one', () => {
    // 23:30 UTC on 28 March 2026 is already 29 March in Brussels (UTC+1).
    expect(brusselsToday(new Date('2026-03-28T23:30:00Z'))).toBe('2026-03-29');
    expect(brusselsToday(new Date('2026-07-01T21:59:00Z'))).toBe('2026-07-01');
    expect(brusselsToday(new Date('2026-07-01T22:01:00Z'))).toBe('2026-07-02');
  });
  it('adds days across month ends and clock changes', () => {
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });
  it('splits local times', () => expect(splitLocal('2026-10-25T02:30')).toEqual({ date: '2026-10-25', time: '02:30' }));
  it('knows overdue and stuck', () => {
    expect(isOverdue({ due_on: '2026-01-01', done_at: null }, '2026-01-02')).toBe(true);
    expect(isOverdue({ due_on: '2026-01-02', done_at: null }, '2026-01-02')).toBe(false);
    expect(isOverdue({ due_on: '2026-01-01', done_at: '2026-01-01T10:00:00Z' }, '2026-01-05')).toBe(false);
    const now = new Date('2026-02-20T00:00:00Z');
    expect(isStuck({ status: 'sent', last_event_at: '2026-02-01T00:00:00Z' }, now)).toBe(true);
    expect(isStuck({ status: 'accepted', last_event_at: '2026-02-01T00:00:00Z' }, now)).toBe(false);
    expect(isStuck({ status: 'sent', last_event_at: '2026-02-15T00:00:00Z' }, now)).toBe(false);
  });
});

describe('reminder notes', () => {
  it('says when no reminder is possible, or a channel is not configured', () => {
    expect(reminderNote({ status: 'planned', reminder: { channel: '', status: '', configured: false } })).toEqual({ key: 'reminder.none', warn: true });
    expect(reminderNote({ status: 'planned', reminder: { channel: 'sms', status: 'queued', configured: false } })).toEqual({ key: 'reminder.notConfigured.sms', warn: true });
    expect(reminderNote({ status: 'planned', reminder: { channel: 'sms', status: 'sent', configured: true } })).toEqual({ key: 'reminder.sent.sms', warn: false });
    expect(reminderNote({ status: 'attended', reminder: { channel: 'sms', status: 'sent', configured: true } })).toBeNull();
  });
});

describe('reminders and timing', () => {
  it('says why a planned appointment has no reminder', () => {
    expect(reminderNote({ status: 'planned', reminder: { channel: '', status: '', configured: false, missing: 'no_phone' } })?.key).toBe('reminder.missing.no_phone');
    expect(reminderNote({ status: 'planned', reminder: { channel: '', status: '', configured: false, missing: 'in_past' } })).toEqual({ key: 'reminder.missing.in_past', warn: true });
    expect(reminderNote({ status: 'planned', reminder: { channel: '', status: '', configured: false } })?.key).toBe('reminder.none');
  });
  it('knows a Brussels time has passed', () => {
    const now = new Date('2026-07-01T08:00:00Z'); // 10:00 in Brussels
    expect(brusselsPast('2026-07-01', '09:59', now)).toBe(true);
    expect(brusselsPast('2026-07-01', '10:01', now)).toBe(false);
    expect(brusselsPast('2026-06-30', '23:00', now)).toBe(true);
    expect(brusselsPast('', '10:00', now)).toBe(false);
  });
  it('knows an appointment has started', () => {
    const now = new Date('2026-07-01T08:00:00Z');
    expect(hasStarted({ starts_at: '2026-07-01T07:59:00Z' }, now)).toBe(true);
    expect(hasStarted({ starts_at: '2026-07-01T08:30:00Z' }, now)).toBe(false);
  });
});
