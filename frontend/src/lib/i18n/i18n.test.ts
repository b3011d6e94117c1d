import { describe, expect, it } from 'vitest';
import { en } from './en';
import { nl } from './nl';
import { fr } from './fr';
import { de } from './de';
import { chooseLanguage, format } from './language';
import { groupBys } from '../reports';

const catalogs = { nl, fr, de, en } as Record<string, Record<string, string>>;
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('catalogues', () => {
  const keys = Object.keys(en).sort();
  for (const [lang, cat] of Object.entries(catalogs)) {
    it(`${lang} has exactly the English keys`, () => {
      expect(Object.keys(cat).sort()).toEqual(keys);
    });
    it(`${lang} has no empty message and the same placeholders`, () => {
      for (const k of keys) {
        expect(cat[k].trim(), `${lang}:${k}`).not.toBe('');
        expect(placeholders(cat[k]), `${lang}:${k}`).toEqual(placeholders((en as Record<string, string>)[k]));
      }
    });
  }
  it('really translates (most messages differ from English)', () => {
    for (const lang of ['nl', 'fr', 'de']) {
      const same = Object.keys(en).filter((k) => catalogs[lang][k] === (en as Record<string, string>)[k]);
      expect(same.length, `${lang} copies: ${same.join(', ')}`).toBeLessThan(Object.keys(en).length / 5);
    }
  });
});

describe('chooseLanguage', () => {
  it('prefers the stored choice', () => expect(chooseLanguage('de', 'fr', ['en-GB'])).toBe('de'));
  it('then the profile', () => expect(chooseLanguage(null, 'fr', ['en-GB'])).toBe('fr'));
  it('then the browser, by prefix', () => expect(chooseLanguage(null, null, ['es-ES', 'fr-BE'])).toBe('fr'));
  it('ignores junk in storage', () => expect(chooseLanguage('xx', null, ['en'])).toBe('en'));
  it('falls back to Dutch', () => expect(chooseLanguage(null, undefined, ['es'])).toBe('nl'));
});

describe('format', () => {
  it('fills placeholders and leaves unknown ones', () => {
    expect(format('Hi {name}, {x}', { name: 'Ana' })).toBe('Hi Ana, {x}');
  });
});

// Keys built at run time (t(`status.${x}`)) escape the type check: list them here.
describe('dynamic keys', () => {
  const families: Record<string, string[]> = {
    status: ['active', 'paused', 'closed'],
    source: ['outreach', 'intake_form', 'partner'],
    mode: ['home', 'street', 'office', 'phone', 'partner'],
    mission: ['inform', 'direct', 'support', 'detect', 'signal'],
    consent: ['care_coordination', 'sms_reminders', 'email_reminders', 'provider_sharing', 'research'],
    barrierStatus: ['open', 'addressed', 'resolved', 'signalled'],
    barrierAction: ['open', 'addressed', 'resolved', 'signalled'],
    role: ['chw', 'coordinator', 'manager', 'admin'],
    refStatus: ['draft', 'sent', 'acknowledged', 'accepted', 'declined', 'waitlisted', 'appointment_set', 'completed', 'cancelled', 'expired'],
    refAction: ['sent', 'acknowledged', 'accepted', 'declined', 'waitlisted', 'completed', 'cancelled'],
    apptStatus: ['planned', 'attended', 'missed', 'cancelled', 'rescheduled'],
    apptAction: ['attended', 'missed', 'cancelled'],
    taskKind: ['follow_up', 'call_client', 'chase_referral', 'reschedule', 'other'],
    channel: ['sms', 'email'],
    groupBy: [...groupBys],
    reportTable: ['new_clients', 'clients_active', 'clients_closed', 'visits_by_mode', 'mission_touches', 'topic_touches', 'referrals_by_type', 'referrals_by_status', 'referrals_by_outcome', 'referrals_completed', 'appointments', 'reminders', 'group_sessions_held', 'group_participants', 'group_sessions_by_topic', 'group_sessions_by_mission', 'detected', 'addressed', 'resolved', 'signalled'],
    reportCol: ['active', 'closed', 'attended', 'missed', 'sent', 'failed', 'participants', 'completed', 'held'],
    reply: ['confirmed', 'reschedule_requested'],
    urgency: ['routine', 'soon', 'urgent'],
    outcome: ['seen', 'treatment_started', 'no_show', 'other'],
    wizard: ['step1', 'step2', 'step3', 'step4'],
    tl: ['visit', 'barrier_detected', 'barrier_resolved', 'barrier_signalled', 'consent_given', 'consent_withdrawn', 'created', 'updated', 'status_changed', 'assigned', 'unassigned', 'referral', 'appointment'],
  };
  families.reminder = ['none', 'failed', 'notConfigured.sms', 'notConfigured.email',
    ...['queued', 'sending', 'sent', 'skipped'].flatMap((st) => [`${st}.sms`, `${st}.email`])];
  for (const [family, codes] of Object.entries(families)) {
    it(`${family}.* exists for every code`, () => {
      for (const c of codes) expect(Object.keys(en), `${family}.${c}`).toContain(`${family}.${c}`);
    });
  }
});
