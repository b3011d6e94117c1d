// The audit reader (GET /api/v1/audit) and a client's trail
// (GET /api/v1/clients/{id}/audit).

export interface AuditEvent {
  id: string;
  at: string;
  actor: { id: string; name: string } | null;
  actor_role: string;
  action: string;
  entity: string;
  entity_id: string;
  client_id: string | null;
  request_id: string;
  ip: string;
  detail: string;
  unusual: boolean;
  stream: string;
  seq: number | null;
}

/** One event of a client's trail (coordinators). */
export interface ClientAuditEvent {
  id: string;
  actor: { id: string; name: string } | null;
  actor_role: string;
  action: string;
  detail: string;
  request_id: string;
  ip: string;
  at: string;
  unusual: boolean;
}

export interface AuditFilters {
  actor_id: string;
  client_id: string;
  action: string;
  entity: string;
  from: string;
  to: string;
}

export function emptyFilters(): AuditFilters {
  return { actor_id: '', client_id: '', action: '', entity: '', from: '', to: '' };
}

/** Actions and record types offered as suggestions (any other may be typed). */
export const auditActions = [
  'client.read', 'client.create', 'client.update', 'client.assign', 'client.merge', 'client.emergency_access',
  'visit.create', 'visit.update', 'visit.delete', 'barrier.create', 'consent.give', 'consent.withdraw',
  'referral.create', 'referral.transition', 'appointment.create', 'report.export', 'report.read',
  'contact.read', 'user.create', 'user.update', 'auth.login_failed', 'audit.search',
];
export const auditEntities = ['client', 'user', 'report', 'contact_request', 'provider', 'referral', 'appointment', 'team', 'audit', 'session'];

/** The query string of a search: filters trimmed, empty ones left out. */
export function auditQuery(f: AuditFilters, extra: Record<string, string> = {}): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) {
    const s = v.trim();
    if (s) p.set(k, k === 'action' || k === 'entity' ? s.toLowerCase() : s);
  }
  for (const [k, v] of Object.entries(extra)) if (v) p.set(k, v);
  const q = p.toString();
  return q ? '?' + q : '';
}

/** Who did it, for a reader: the account's name, or what acted without one. */
export function actorKey(e: { actor: { name: string } | null; actor_role: string }): 'name' | 'audit.system' | 'audit.anonymous' {
  if (e.actor) return 'name';
  return e.actor_role === 'system' ? 'audit.system' : 'audit.anonymous';
}
