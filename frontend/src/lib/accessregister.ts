// The access register (GET /api/v1/access-register, admin).
import type { MessageKey } from './i18n/en';

export interface AccessRule { permission: string; data: string; access: 'read' | 'change' | 'read_change'; scope: string; client_data: boolean }
export interface RoleAccess { role: string; description: string; reads_client_records: boolean; rules: AccessRule[] }
export interface AccessHolder { id: string; name: string; email: string; role: string }
export interface AccessRegister {
  generated_at: string;
  roles: RoleAccess[];
  teams: { id: string; name: string; accounts: AccessHolder[] }[];
  programme: AccessHolder[];
  /** Live break-the-glass grants: who, a client of which team, until when. */
  emergency_access: { user_id: string; name: string; email: string; team_name: string; granted_at: string; expires_at: string }[];
}

/** The catalogue key of a role, including the programme-wide manager. */
export function roleKey(role: string): MessageKey {
  return (role === 'manager_all' ? 'register.role.manager_all' : `role.${role}`) as MessageKey;
}

/** The catalogue key of a rule's sentence, or null for a permission the app does not know. */
export function ruleKey(permission: string, known: Record<string, unknown>): MessageKey | null {
  const key = `register.perm.${permission}`;
  return key in known ? (key as MessageKey) : null;
}
