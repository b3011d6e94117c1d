// Types and helpers for the caseload screens (api/openapi.yaml: Client, Visit, Barrier).
import type { TeamRef } from './api';

export type ClientStatus = 'active' | 'paused' | 'closed';

export interface Client {
  id: string;
  given_name: string;
  family_name: string;
  pseudonym: string;
  birth_year: number | null;
  phone: string | null;
  email: string | null;
  language: string;
  spoken_languages: string[];
  team_id: string;
  neighbourhood_id: string | null;
  assigned_chw_id: string | null;
  assigned_chw: TeamRef | null;
  status: ClientStatus;
  close_reason: string;
  care_rights: string[];
  source: string;
  last_activity_at: string;
  created_at: string;
  updated_at: string;
}

export interface Barrier {
  id: string;
  client_id: string;
  visit_id: string | null;
  category: string;
  detail: string;
  status: 'open' | 'addressed' | 'resolved' | 'signalled';
  detected_at: string;
}

export interface TimelineItem {
  at: string;
  type: string;
  id: string;
  actor: { id: string; name: string } | null;
  data: Record<string, unknown>;
}

export interface ConsentState {
  purpose: string;
  given: boolean;
  given_at: string | null;
  withdrawn_at: string | null;
  /** A given reminder consent that cannot be used: no_phone, no_email. */
  warning?: 'no_phone' | 'no_email';
}

export interface Board {
  team_id: string;
  chws: { id: string; name: string; caseload: number; without_recent_visit: number }[];
  unassigned: Client[];
  /** last_contact_at: last visit, call or group session (null: never). */
  without_recent_visit: (Client & { last_contact_at: string | null })[];
}

export const visitModes = ['home', 'street', 'office', 'phone', 'partner'] as const;
export const consentPurposes = ['care_coordination', 'sms_reminders', 'email_reminders', 'provider_sharing', 'research'] as const;
export const barrierStatuses = ['open', 'addressed', 'resolved', 'signalled'] as const;

/** The statuses a barrier may move to (mirrors the server's rule). */
export const barrierNext: Record<string, string[]> = {
  open: ['addressed', 'resolved', 'signalled'],
  addressed: ['open', 'resolved', 'signalled'],
  signalled: ['addressed', 'resolved'],
  resolved: ['open'],
};

/** How a client is named on screen: the name, else the pseudonym. */
export function displayName(c: Pick<Client, 'given_name' | 'family_name' | 'pseudonym'>): string {
  const name = `${c.given_name} ${c.family_name}`.trim();
  return name || c.pseudonym || '—';
}

/** Splits "Arabic, Tigrinya" into a clean list. */
export function splitList(s: string): string[] {
  return s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}
