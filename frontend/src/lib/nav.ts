import type { Role } from './api';
import type { MessageKey } from './i18n/en';

/** perm: shown only to callers holding that permission (from /me). */
export interface NavItem { path: string; label: MessageKey; perm?: string }

/** What each role finds in the navigation. The first item is the start page. */
export const navigation: Record<Role, NavItem[]> = {
  chw: [
    { path: '/today', label: 'nav.today' },
    { path: '/caseload', label: 'nav.caseload' },
    { path: '/appointments', label: 'nav.appointments' },
    { path: '/tasks', label: 'nav.tasks' },
    { path: '/group-sessions', label: 'nav.groups' },
    { path: '/providers', label: 'nav.providers' },
    { path: '/reports/mine', label: 'nav.myActivity' },
    { path: '/summary', label: 'nav.summary' },
  ],
  coordinator: [
    { path: '/team', label: 'nav.team' },
    { path: '/intake', label: 'nav.intake' },
    { path: '/caseload', label: 'nav.teamCaseload' },
    { path: '/reports/team', label: 'nav.teamReport' },
    { path: '/coaching', label: 'nav.coaching' },
    { path: '/targets', label: 'nav.targets' },
    { path: '/summary', label: 'nav.summary' },
    { path: '/group-sessions', label: 'nav.groups' },
    { path: '/providers', label: 'nav.providers' },
  ],
  manager: [
    { path: '/dashboard', label: 'nav.dashboard' },
    { path: '/reports/activity', label: 'nav.activity' },
    { path: '/reports/barriers', label: 'nav.barriers' },
    { path: '/research', label: 'nav.research', perm: 'research:extract' },
  ],
  admin: [
    { path: '/admin/users', label: 'nav.users' },
    { path: '/admin/teams', label: 'nav.teams' },
    { path: '/admin/targets', label: 'nav.targets' },
    { path: '/admin/audit', label: 'nav.audit' },
    { path: '/admin/access-register', label: 'nav.accessRegister' },
  ],
  // The data protection officer reads the audit log and keeps the access register, nothing else.
  dpo: [
    { path: '/admin/audit', label: 'nav.audit' },
    { path: '/admin/access-register', label: 'nav.accessRegister' },
  ],
};

/**
 * The main places of a role on a phone: a bottom tab bar with short labels.
 * Only the CHW works from a phone; other roles use the menu alone.
 */
export const tabs: Partial<Record<Role, { path: string; label: MessageKey }[]>> = {
  chw: [
    { path: '/today', label: 'tab.today' },
    { path: '/caseload', label: 'tab.caseload' },
    { path: '/appointments', label: 'tab.appointments' },
    { path: '/tasks', label: 'tab.tasks' },
  ],
};

/** The tab bar of a role (empty: none), only places the caller has in the navigation. */
export function tabsFor(role: Role, permissions: string[] = []): { path: string; label: MessageKey }[] {
  const items = itemsFor(role, permissions);
  return (tabs[role] ?? []).filter((tab) => items.some((i) => i.path === tab.path));
}

export function startPage(role: Role): string {
  return navigation[role][0].path;
}

/** The role's items the caller may use (an item with perm needs it). */
export function itemsFor(role: Role, permissions: string[] = []): NavItem[] {
  return navigation[role].filter((i) => !i.perm || permissions.includes(i.perm));
}

/** The navigation item a path belongs to, if the caller has it. */
export function itemFor(role: Role, path: string, permissions: string[] = []): NavItem | undefined {
  return itemsFor(role, permissions).find((i) => path === i.path || path.startsWith(i.path + '/'));
}

/**
 * The key of the page title at path ("Today" for /today), as the shell
 * routes it: client records only for roles with a caseload.
 */
export function titleKey(role: Role, path: string, permissions: string[] = []): MessageKey {
  const items = itemsFor(role, permissions);
  if (items.some((i) => i.path === '/caseload')) {
    if (path === '/clients/new') return 'clients.new';
    if (/^\/clients\/[^/]+\/merge\/[^/]+$/.test(path)) return 'merge.title';
    if (/^\/clients\/[^/]+\/refer$/.test(path)) return 'wizard.title';
    if (/^\/clients\/[^/]+$/.test(path)) return 'title.client';
  }
  if (path === '/account/sessions') return 'sessions.title';
  const item = itemFor(role, path, permissions);
  if (item?.path === '/group-sessions' && /^\/group-sessions\/[^/]+\/participant$/.test(path)) return 'groups.participantTitle';
  return item?.label ?? 'title.notFound';
}

/** A document title: "Today — Brug". */
export function documentTitle(page: string, app: string): string {
  return `${page} — ${app}`;
}
