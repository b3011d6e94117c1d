import { tick } from 'svelte';
import { ApiError, type FieldError } from './api';
import { t, type MessageKey } from './i18n/index.svelte';

/**
 * Every field error code the API produces and its message without params.
 * A Go test (internal/httpapi/field_codes_test.go) fails when the API has a
 * code missing here.
 */
const fieldCodes: Record<string, MessageKey> = {
  required: 'field.required',
  contact_required: 'field.required',
  email: 'field.email',
  min: 'field.min',
  max: 'field.max',
  length: 'field.length',
  oneof: 'field.oneof',
  bool: 'field.oneof',
  taken: 'field.taken',
  duplicate: 'field.duplicate',
  count: 'field.count',
  unknown: 'field.unknown',
  not_found: 'field.unknown',
  uuid: 'field.unknown',
  fund: 'field.unknown',
  range: 'field.range',
  future: 'field.future',
  sum: 'field.sum',
  team: 'field.team',
  scope: 'field.team',
  no_address: 'field.no_address',
  consent: 'field.consent',
  phone: 'field.phoneAny',
  time_gap: 'field.time_gap',
  type: 'field.invalid',
  date: 'field.invalid',
  period: 'field.invalid',
  url: 'field.url',
  read_only: 'field.read_only',
  exclusive: 'field.exclusive',
  mismatch: 'field.mismatch',
  state: 'field.state',
  dive: 'field.invalid',
  invalid: 'field.invalid',
  self: 'field.invalid',
  role: 'field.invalid',
  unexpected: 'field.invalid',
  unknown_field: 'field.invalid',
  unknown_parameter: 'field.invalid',
  reused: 'field.invalid',
  expired: 'field.invalid',
  csv: 'field.invalid',
  empty: 'field.invalid',
  unknown_column: 'field.invalid',
  missing_column: 'field.invalid',
  html: 'field.invalid',
  format: 'field.invalid',
  invitation_only: 'field.invitation_only',
  password_weak: 'field.passwordWeak',
  second_factor_code: 'field.secondFactorCode',
  second_factor_format: 'field.secondFactorFormat',
  control: 'field.characters',
  characters: 'field.characters',
  encoding: 'field.encoding',
  visible_letter: 'field.visible_letter',
  honeypot: 'field.invalid',
  version: 'field.invalid',
  month: 'field.invalid',
  month_past: 'field.month_past',
  indicator: 'field.unknown',
};

/** The catalogue key for a field error code, without its params. */
export function fieldKey(e: FieldError): MessageKey {
  return fieldCodes[e.code] ?? 'field.invalid';
}

/** Fields that hold lists: their max counts items, not characters. */
const listFields = new Set(['topics', 'spoken_languages', 'barriers', 'facilitator_ids', 'team_ids', 'missions', 'languages',
  'care_rights', 'barrier_ids', 'reminder_offsets', 'file', 'take']);

const typeKeys: Record<string, MessageKey> = {
  string: 'type.string',
  integer: 'type.integer',
  number: 'type.number',
  boolean: 'type.boolean',
  array: 'type.array',
  object: 'type.object',
};

/** "team_ids[0]" and "rows[2].phone" name the fields team_ids and phone. */
function baseName(field: string): string {
  const last = field.split('.').pop() ?? field;
  return last.replace(/\[\d+\]$/, '');
}

/** The list itself ("topics"), not one of its items ("topics[0]"). */
function isList(field: string): boolean {
  return listFields.has(baseName(field)) && !field.endsWith(']');
}

function isValue(v: unknown): v is string | number {
  return typeof v === 'number' || (typeof v === 'string' && v !== '');
}

/**
 * A field error in the person's language, as precise as the API's English
 * message: the code picks the message and its params fill it in.
 */
export function fieldMessage(e: FieldError): string {
  const p = e.params ?? {};
  const name = baseName(e.field);
  const { min, max, example } = p;
  switch (e.code) {
    case 'max':
      if (isValue(max)) return t(isList(e.field) ? 'field.maxItems' : 'field.maxChars', { max });
      break;
    case 'min':
      if (isValue(min)) return t(isList(e.field) ? 'field.minItems' : 'field.minChars', { min });
      break;
    case 'length':
      if (isValue(min) && isValue(max)) return t('field.lengthBetween', { min, max });
      if (isValue(max)) return t('field.maxChars', { max });
      break;
    case 'range':
      if (p.reason === 'order') return t('field.rangeOrder');
      if (p.reason === 'past_year') return t('field.rangePastYear');
      if (p.reason === 'max_years' && isValue(max)) return t('field.rangeMaxYears', { max });
      if (typeof min === 'string' && isValue(max)) return t('field.durationBetween', { min, max, example: isValue(example) ? example : '24h' });
      if (isValue(min) && isValue(max)) {
        if (name === 'birth_year') return t('field.yearBetween', { min, max });
        if (name === 'duration_minutes') return t('field.minutesBetween', { min, max });
        if (name === 'participants' || e.field.startsWith('participants_by_age')) return t('field.peopleBetween', { min, max });
        return t('field.rangeBetween', { min, max });
      }
      if (isValue(min)) return t('field.rangeMin', { min });
      if (isValue(max)) return t('field.rangeMax', { max });
      break;
    case 'phone':
      if (isValue(example)) return t('field.phone', { example });
      break;
    case 'password_weak':
      if (p.reason === 'common') return t('field.passwordCommon');
      if (p.reason === 'personal') return t('field.passwordPersonal');
      break;
    case 'characters':
      if (p.reason === 'newline') return t('field.charactersNewline');
      if (p.reason === 'bidi') return t('field.charactersBidi');
      if (p.reason === 'invisible') return t('field.charactersInvisible');
      break;
    case 'date':
      if (isValue(example)) return t('field.date', { example });
      break;
    case 'type':
      if (typeof p.expected === 'string') {
        const nullable = p.expected.endsWith(' or null');
        const base = nullable ? p.expected.slice(0, -' or null'.length) : p.expected;
        const expected = t(typeKeys[base] ?? 'type.value');
        return t(nullable ? 'field.typeOrEmpty' : 'field.type', { expected });
      }
      break;
    case 'count':
      if (name !== 'team_ids' && isValue(min) && isValue(max)) return t('field.countBetween', { min, max });
      break;
    case 'sum':
      if (isValue(p.sum) && isValue(p.participants)) return t('field.sumOf', { sum: p.sum, participants: p.participants });
      break;
  }
  return t(fieldKey(e));
}

/** Every field error of a failed request by field, in the person's language. */
export function fieldMessages(err: unknown, rename: (field: string) => string = (f) => f): Record<string, string> {
  const out: Record<string, string> = {};
  if (err instanceof ApiError) for (const [f, fe] of Object.entries(err.fields())) out[rename(f)] ??= fieldMessage(fe);
  return out;
}

/**
 * After a failed submit: wait for the messages to render, then bring the
 * first field in error into view and put the cursor in it.
 */
export async function focusFirstError(form: HTMLElement | null | undefined): Promise<void> {
  await tick();
  // data-invalid marks a group whose role has no aria-invalid (a fieldset).
  const el = form?.querySelector<HTMLElement>('[aria-invalid="true"], [data-invalid="true"]');
  if (!el) return;
  // A group (radios, checkboxes) carries aria-invalid; the cursor goes to its first control.
  const control = el.matches('input, select, textarea') ? el : (el.querySelector<HTMLElement>('input, select, textarea') ?? el);
  control.scrollIntoView?.({ block: 'center' });
  control.focus();
}

/** The catalogue key for an error as a whole. */
export function errorKey(err: unknown): MessageKey {
  if (err instanceof ApiError) {
    if (err.status === 422) return 'error.fields';
    if (err.status === 403) return 'error.forbidden';
    if (err.status === 503 || err.status === 0) return 'error.unavailable';
    return 'error.generic';
  }
  return 'error.unavailable'; // fetch failed: offline or server down
}
