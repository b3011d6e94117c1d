import { ApiError, type FieldError } from './api';
import type { MessageKey } from './i18n/en';

const fieldCodes: Record<string, MessageKey> = {
  required: 'field.required',
  email: 'field.email',
  min: 'field.min',
  max: 'field.max',
  length: 'field.length',
  oneof: 'field.oneof',
  taken: 'field.taken',
  count: 'field.count',
  unknown: 'field.unknown',
  range: 'field.range',
  future: 'field.future',
  sum: 'field.sum',
  team: 'field.team',
  no_address: 'field.no_address',
  consent: 'field.consent',
};

/** The catalogue key for a field error code (the server's English message is the fallback). */
export function fieldKey(e: FieldError): MessageKey {
  return fieldCodes[e.code] ?? 'field.invalid';
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
