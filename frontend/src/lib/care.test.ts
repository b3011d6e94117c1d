import { describe, expect, it } from 'vitest';
import { nl } from './i18n/nl';
import { fr } from './i18n/fr';
import { de } from './i18n/de';
import { en } from './i18n/en';
import { addDays, brusselsPast, brusselsToday, hasStarted, isOverdue, isStuck, reminderNote, splitLocal, taskNote } from './care';

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

describe('task notes', () => {
  it('renders a rule task from its kind and parameters, then the note a person wrote', () => {
    expect(taskNote({ kind: 'first_contact', note: '', params: { message: 'Ik zoek een tandarts.' }, text: 'Via het contactformulier: Ik zoek een tandarts.' }))
      .toEqual([{ key: 'taskNote.first_contact', params: { message: 'Ik zoek een tandarts.' } }]);
    expect(taskNote({ kind: 'consent_withdrawn', note: 'Gebeld, geen antwoord', params: {}, text: '…' }))
      .toEqual([{ key: 'taskNote.consent_withdrawn', params: {} }, { text: 'Gebeld, geen antwoord' }]);
    const review = { name: 'Ana', until: '2026-07-01 18:00', reason: 'Collega ziek', grant: 'g1' };
    expect(taskNote({ kind: 'review_emergency_access', note: '', params: review, text: '…' }))
      .toEqual([{ key: 'taskNote.review_emergency_access', params: review }]);
  });
  it('keeps a readable fallback', () => {
    // A kind this app does not know: the server's text in the reader's language.
    expect(taskNote({ kind: 'new_rule', note: '', params: { x: '1' }, text: 'Nieuwe regel' })).toEqual([{ text: 'Nieuwe regel' }]);
    // An old task with an English note and no parameters: the note as written.
    expect(taskNote({ kind: 'other', note: 'Call back', params: {}, text: 'Call back' })).toEqual([{ text: 'Call back' }]);
    expect(taskNote({ kind: 'follow_up', note: '' })).toEqual([]);
  });
  it('has the rule sentences in four languages', () => {
    for (const catalog of [nl, fr, de, en]) {
      expect(catalog['taskNote.first_contact']).toContain('{message}');
      expect(catalog['taskNote.consent_withdrawn'].length).toBeGreaterThan(20);
    }
  });
});
