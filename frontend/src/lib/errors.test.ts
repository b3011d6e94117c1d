import { describe, expect, it } from 'vitest';
import { fieldKey, fieldMessage } from './errors';
import { i18n, languages, type Lang } from './i18n/index.svelte';
import type { FieldError } from './api';

const fe = (field: string, code: string, params?: FieldError['params']): FieldError => ({ field, code, message: 'English from the API', params });

// Each case: the error, and the values its message must show.
const cases: [FieldError, (string | number)[]][] = [
  [fe('given_name', 'max', { max: 100 }), ['100']],
  [fe('topics', 'max', { max: 20 }), ['20']],
  [fe('password', 'min', { min: 12 }), ['12']],
  [fe('password', 'length', { min: 12, max: 1024 }), ['12', '1024']],
  [fe('birth_year', 'range', { min: 1900, max: 2026 }), ['1900', '2026']],
  [fe('duration_minutes', 'range', { min: 5, max: 600 }), ['5', '600']],
  [fe('participants', 'range', { min: 0, max: 500 }), ['0', '500']],
  [fe('limit', 'range', { min: 1, max: 200 }), ['1', '200']],
  [fe('limit', 'range', { min: 1 }), ['1']],
  [fe('to', 'range', { reason: 'max_years', max: 5 }), ['5']],
  [fe('reminder_offsets[0]', 'range', { min: '15m', max: '336h', example: '24h, 2h, 90m' }), ['15m', '336h', '24h, 2h, 90m']],
  [fe('phone', 'phone', { example: '0470 12 34 56' }), ['0470 12 34 56']],
  [fe('due_on', 'date', { example: '2026-09-14' }), ['2026-09-14']],
  [fe('reminder_offsets', 'count', { min: 1, max: 5 }), ['1', '5']],
  [fe('participants_by_age', 'sum', { sum: 7, participants: 9 }), ['7', '9']],
];

const messages: Record<Lang, Record<string, string>> = {
  en: {
    time_gap: 'This time does not exist: the clocks go forward that night. Choose another time.',
    required: 'This field is required.',
    oneof: 'Choose one of the options.',
    birth: 'A year from 1900 to 2026.',
    name: 'At most 100 characters.',
    phone: 'Enter a phone number, e.g. 0470 12 34 56.',
    nullInt: 'Enter a whole number, or leave it empty.',
  },
  nl: {
    time_gap: 'Dit uur bestaat niet: die nacht gaat de klok een uur vooruit. Kies een ander uur.',
    required: 'Dit veld is verplicht.',
    oneof: 'Kies een van de mogelijkheden.',
    birth: 'Een jaartal van 1900 tot 2026.',
    name: 'Maximaal 100 tekens.',
    phone: 'Geef een telefoonnummer, bv. 0470 12 34 56.',
    nullInt: 'Geef een geheel getal, of laat het leeg.',
  },
  fr: {
    time_gap: 'Cette heure n’existe pas : on avance l’heure cette nuit-là. Choisissez une autre heure.',
    required: 'Ce champ est obligatoire.',
    oneof: 'Choisissez une des options.',
    birth: 'Une année de 1900 à 2026.',
    name: '100 caractères au maximum.',
    phone: 'Saisissez un numéro de téléphone, p. ex. 0470 12 34 56.',
    nullInt: 'Saisissez un nombre entier, ou laissez le champ vide.',
  },
  de: {
    time_gap: 'Diese Uhrzeit gibt es nicht: In dieser Nacht werden die Uhren vorgestellt. Wählen Sie eine andere Uhrzeit.',
    required: 'Dieses Feld ist erforderlich.',
    oneof: 'Wählen Sie eine der Möglichkeiten.',
    birth: 'Ein Jahr von 1900 bis 2026.',
    name: 'Höchstens 100 Zeichen.',
    phone: 'Geben Sie eine Telefonnummer ein, z. B. 0470 12 34 56.',
    nullInt: 'Geben Sie eine ganze Zahl ein oder lassen Sie das Feld leer.',
  },
};

describe('fieldMessage', () => {
  for (const lang of languages) {
    describe(lang, () => {
      it('fills in every param and leaves no placeholder', () => {
        i18n.choose(lang);
        for (const [e, shown] of cases) {
          const m = fieldMessage(e);
          expect(m, `${e.field} ${e.code}`).not.toMatch(/\{\w+\}/);
          for (const v of shown) expect(m, `${e.field} ${e.code}`).toContain(String(v));
          expect(m).not.toBe(fieldMessage({ ...e, params: undefined }));
        }
      });
      it('says exactly what is wrong', () => {
        i18n.choose(lang);
        const want = messages[lang];
        expect(fieldMessage(fe('starts_at_local', 'time_gap'))).toBe(want.time_gap);
        expect(fieldMessage(fe('reason', 'required'))).toBe(want.required);
        expect(fieldMessage(fe('urgency', 'oneof', { options: ['routine', 'soon', 'urgent'] }))).toBe(want.oneof);
        expect(fieldMessage(fe('birth_year', 'range', { min: 1900, max: 2026 }))).toBe(want.birth);
        expect(fieldMessage(fe('given_name', 'max', { max: 100 }))).toBe(want.name);
        expect(fieldMessage(fe('phone', 'phone', { example: '0470 12 34 56' }))).toBe(want.phone);
        expect(fieldMessage(fe('birth_year', 'type', { expected: 'integer or null' }))).toBe(want.nullInt);
      });
      it('names each kind of refused character, in the language', () => {
        i18n.choose(lang);
        const seen = new Set<string>();
        for (const reason of ['control', 'newline', 'bidi', 'invisible']) {
          const m = fieldMessage(fe('given_name', 'characters', { reason }));
          expect(m).not.toBe(fieldMessage(fe('x', 'invalid')));
          seen.add(m);
        }
        seen.add(fieldMessage(fe('given_name', 'encoding')));
        seen.add(fieldMessage(fe('given_name', 'visible_letter')));
        expect(seen.size).toBe(6);
        if (lang !== 'en') {
          i18n.choose('en');
          const english = fieldMessage(fe('given_name', 'visible_letter'));
          i18n.choose(lang);
          expect(fieldMessage(fe('given_name', 'visible_letter'))).not.toBe(english);
        }
      });
      it('translates the expected type and never shows the English word', () => {
        i18n.choose(lang);
        for (const expected of ['string', 'integer', 'number', 'boolean', 'array', 'object', 'string or null', 'a new kind']) {
          const m = fieldMessage(fe('x', 'type', { expected }));
          expect(m).not.toMatch(/\{\w+\}/);
          if (lang !== 'en') expect(m).not.toContain(expected);
        }
      });
    });
  }
  it('tells a list from its items', () => {
    i18n.choose('en');
    expect(fieldMessage(fe('topics', 'max', { max: 20 }))).toBe('At most 20 items.');
    expect(fieldMessage(fe('topics[3]', 'max', { max: 60 }))).toBe('At most 60 characters.');
  });
  it('falls back to the code, then to a generic message', () => {
    i18n.choose('en');
    expect(fieldKey(fe('x', 'max'))).toBe('field.max');
    expect(fieldMessage(fe('x', 'max'))).toBe('This is too long.');
    expect(fieldMessage(fe('x', 'never-heard-of'))).toBe('This value is not valid.');
  });
});
