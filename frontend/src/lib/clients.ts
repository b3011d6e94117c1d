// Types and helpers for the caseload screens (api/openapi.yaml: Client, Visit, Barrier).
import type { TeamRef } from './api';

export type ClientStatus = 'active' | 'paused' | 'closed';

export interface Client {
  /** Raised by every change; sent back as If-Match on an edit. */
  version?: number;
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
  /** Set when the record's personal data was erased. */
  erased_at?: string | null;
  legal_hold?: { at: string; by: string | null; reason: string } | null;
}

export interface Barrier {
  /** Raised by every change; sent back as If-Match on an edit. */
  version?: number;
  id: string;
  client_id: string;
  visit_id: string | null;
  category: string;
  detail: string;
  status: 'open' | 'addressed' | 'resolved' | 'signalled';
  detected_at: string;
}

/** What a timeline entry records (api/openapi.yaml: clientTimeline, `type`). */
export const timelineTypes = [
  'visit', 'barrier_detected', 'barrier_addressed', 'barrier_resolved', 'barrier_signalled', 'consent_given', 'consent_withdrawn',
  'created', 'updated', 'status_changed', 'assigned', 'referral', 'appointment', 'group_session', 'visit_updated', 'visit_deleted',
  'merged', 'merge_undone', 'erased', 'legal_hold', 'legal_hold_lifted', 'emergency_access',
] as const;
export type TimelineType = (typeof timelineTypes)[number];

export interface TimelineItem {
  at: string;
  type: TimelineType;
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
export function displayName(c: Pick<Client, 'given_name' | 'family_name' | 'pseudonym'> & { erased_at?: string | null }, erased = '—'): string {
  if (c.erased_at) return erased;
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

// The duplicate check's answer (409): ids the caller may open, and whether
// a match exists in the team or elsewhere that they may not see.
export interface DuplicateProblem {
  candidates?: string[];
  in_team?: boolean;
  elsewhere?: boolean;
}

/** The message key that tells the caller what they may know of a duplicate. */
export function duplicateKey(p: DuplicateProblem | null | undefined): 'client.duplicate' | 'client.duplicateInTeam' | 'client.duplicateElsewhere' {
  if (p?.candidates?.length) return 'client.duplicate';
  if (p?.in_team) return 'client.duplicateInTeam';
  if (p?.elsewhere) return 'client.duplicateElsewhere';
  return 'client.duplicate';
}

export interface ClientMerge {
  id: string;
  survivor_id: string;
  merged_id: string;
  merged_by: string;
  taken: string[];
  created_at: string;
  undo_until: string;
  undone_at: string | null;
}

/** The fields a coordinator chooses between when merging two records. */
export const mergeFields = ['given_name', 'family_name', 'pseudonym', 'birth_year', 'phone', 'email', 'language', 'spoken_languages', 'care_rights', 'source', 'status'] as const;
export type MergeField = (typeof mergeFields)[number];

/** Fields whose values differ between two records: those to choose. */
export function mergeConflicts(a: Client, b: Client): MergeField[] {
  return mergeFields.filter((f) => JSON.stringify(a[f] ?? null) !== JSON.stringify(b[f] ?? null));
}

/** The window in which the CHW who logged a visit may change it. */
export const visitEditHours = 24;

/** Whether the caller may edit or delete a visit of the timeline. */
export function canChangeVisit(role: string, userId: string, actorId: string | undefined, loggedAt: string | undefined, now = Date.now()): boolean {
  if (role === 'coordinator') return true;
  if (role !== 'chw' || !actorId || actorId !== userId || !loggedAt) return false;
  return now - Date.parse(loggedAt) <= visitEditHours * 3600_000;
}

const fieldNames = [
  'given_name', 'family_name', 'pseudonym', 'birth_year', 'phone', 'email', 'language', 'spoken_languages', 'care_rights',
  'source', 'status', 'close_reason', 'neighbourhood_id', 'visited_at', 'mode', 'duration_minutes', 'missions', 'topics', 'note', 'barriers',
] as const;

/**
 * The catalogue keys naming the fields a timeline entry says changed
 * (`updated`, `visit_updated`: data.fields), in the server's order; a field
 * this screen does not know is named "other details", once.
 */
export function changedFieldKeys(fields: unknown): `fieldName.${(typeof fieldNames)[number] | 'other'}`[] {
  if (!Array.isArray(fields)) return [];
  const out: `fieldName.${(typeof fieldNames)[number] | 'other'}`[] = [];
  for (const f of fields) {
    const key = (fieldNames as readonly string[]).includes(String(f)) ? (`fieldName.${f}` as `fieldName.${(typeof fieldNames)[number]}`) : 'fieldName.other';
    if (!out.includes(key)) out.push(key);
  }
  return out;
}

/** The name of a client as a list shows it: an erased client's is empty (its personal data is gone). */
export function refName(ref: { name: string } | null | undefined, erased: string): string {
  return ref?.name?.trim() ? ref.name : erased;
}
