// Types and helpers for referrals, appointments and tasks (api/openapi.yaml).
import type { GroupSession } from './groups';

export interface Ref { id: string; name: string }

export interface Provider {
  id: string;
  name: string;
  type: string;
  address: string;
  municipality: string;
  phone: string | null;
  email: string | null;
  website: string;
  languages: string[];
  accepts_new_patients: boolean;
  third_party_payment: boolean;
  conventioned: boolean;
}

export interface Referral {
  /** Raised by every change; sent back as If-Match on an edit. */
  version?: number;
  id: string;
  client_id: string;
  client: Ref | null;
  provider_id: string | null;
  provider: Ref | null;
  provider_type: string;
  reason: string;
  urgency: 'routine' | 'soon' | 'urgent';
  status: string;
  outcome: string;
  decline_reason: string;
  allowed_transitions: string[];
  last_event_at: string;
}

export interface Appointment {
  /** Raised by every change; sent back as If-Match on an edit. */
  version?: number;
  id: string;
  client_id: string;
  client: Ref | null;
  provider: Ref | null;
  referral_id: string | null;
  starts_at: string;
  starts_at_local: string;
  duration_minutes: number;
  location: string;
  status: string;
  reply: string;
  /** missing: why a planned appointment has no reminder (in_past, no_phone, no_email, no_consent, quiet_hours). */
  reminder: { channel: string; status: string; configured: boolean; missing?: string };
}

export interface ReminderMessage {
  id: string;
  appointment_id: string;
  client_id: string;
  client: Ref | null;
  kind: string;
  channel: string;
  status: string;
  attempts: number;
  last_error: string;
  /** Masked: +32 4•• •• •1 23. */
  destination: string;
  failure_reason?: 'refused' | 'unreachable';
  due_at: string;
}

/** GET /api/v1/today: the Today page in one answer, each list as its own endpoint gives it. */
export interface TodayPage {
  date: string;
  tasks: Task[];
  appointments: Appointment[];
  referrals: Referral[];
  group_sessions: GroupSession[];
  failed_reminders: ReminderMessage[];
}

/** What to tell the CHW about an appointment's reminder. */
export function reminderNote(a: Pick<Appointment, 'status' | 'reminder'>): { key: string; warn: boolean } | null {
  if (a.status !== 'planned') return null;
  const r = a.reminder;
  if (!r || !r.channel) return { key: r?.missing ? `reminder.missing.${r.missing}` : 'reminder.none', warn: true };
  if (!r.configured) return { key: `reminder.notConfigured.${r.channel}`, warn: true };
  if (r.status === 'failed') return { key: 'reminder.failed', warn: true };
  return { key: `reminder.${r.status}.${r.channel}`, warn: false };
}

export interface Task {
  /** Raised by every change; sent back as If-Match on an edit. */
  version?: number;
  id: string;
  /** Null for a coordinator's alert about a CHW. */
  client_id: string | null;
  client: Ref | null;
  kind: string;
  due_on: string;
  done_at: string | null;
  /** What a person wrote; empty for a task made by a rule. */
  note: string;
  /** What a rule's task says, as parameters of its kind. */
  params?: Record<string, string>;
  /** The whole task in the reader's language, from the server: the fallback. */
  text?: string;
}

/** The rule sentences the app renders itself, with the parameters each needs. */
const taskNoteParams: Record<string, string[]> = {
  first_contact: ['message'],
  consent_withdrawn: [],
  review_emergency_access: ['name', 'until', 'reason'],
  alert_no_visits: ['name', 'days', 'since'],
  alert_overdue_tasks: ['name', 'count', 'max'],
  alert_stuck_referral: ['days', 'since'],
  alert_missed_in_row: ['count'],
};

export type TaskNotePart = { key: string; params: Record<string, string> } | { text: string };

/**
 * What a task says, part by part: a rule's sentence from the catalogue (kind
 * plus parameters) in the reader's language, then the note a person wrote.
 * A kind the app does not know keeps the server's readable text.
 */
export function taskNote(task: Pick<Task, 'kind' | 'note' | 'params' | 'text'>): TaskNotePart[] {
  const params = task.params ?? {};
  const needs = taskNoteParams[task.kind];
  if (needs && task.params && needs.every((p) => p in params)) {
    return [{ key: `taskNote.${task.kind}`, params }, ...(task.note ? [{ text: task.note }] : [])];
  }
  if (Object.keys(params).length > 0 && task.text) return [{ text: task.text }];
  return task.note ? [{ text: task.note }] : [];
}

export const waitingStatuses = ['sent', 'acknowledged', 'waitlisted'];
export const outcomes = ['seen', 'treatment_started', 'no_show', 'other'];

/** Today's date in Brussels as YYYY-MM-DD, whatever the device's zone. */
export function brusselsToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** Adds days to a YYYY-MM-DD date. */
export function addDays(day: string, n: number): string {
  const d = new Date(day + 'T12:00:00Z');
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Splits the server's Brussels wall-clock "YYYY-MM-DDTHH:MM" into date and time. */
export function splitLocal(local: string): { date: string; time: string } {
  const [date, time] = local.split('T');
  return { date, time };
}

/** A task is overdue when its day has passed in Brussels. */
export function isOverdue(t: Pick<Task, 'due_on' | 'done_at'>, today: string): boolean {
  return !t.done_at && t.due_on < today;
}

/** A referral is stuck when it waits for an answer for 14 days or more. */
export function isStuck(r: Pick<Referral, 'status' | 'last_event_at'>, now = new Date()): boolean {
  return waitingStatuses.includes(r.status) && now.getTime() - new Date(r.last_event_at).getTime() >= 14 * 86400_000;
}

/** Whether an appointment has begun: only then can it be attended or missed. */
export function hasStarted(a: Pick<Appointment, 'starts_at'>, now: Date = new Date()): boolean {
  return new Date(a.starts_at).getTime() <= now.getTime();
}

/** Whether a Brussels date and time (YYYY-MM-DD, HH:MM) lies before now. */
export function brusselsPast(date: string, time: string, now: Date = new Date()): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d{2}:\d{2}$/.test(time)) return false;
  const parts = new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Brussels', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).format(now);
  return `${date} ${time}` < parts.replace('T', ' ');
}
