import type { Role } from './api';
import type { MessageKey } from './i18n/en';

export interface NavItem { path: string; label: MessageKey }

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
  ],
  coordinator: [
    { path: '/team', label: 'nav.team' },
    { path: '/intake', label: 'nav.intake' },
    { path: '/caseload', label: 'nav.teamCaseload' },
    { path: '/reports/team', label: 'nav.teamReport' },
    { path: '/group-sessions', label: 'nav.groups' },
    { path: '/providers', label: 'nav.providers' },
  ],
  manager: [
    { path: '/dashboard', label: 'nav.dashboard' },
    { path: '/reports/activity', label: 'nav.activity' },
    { path: '/reports/barriers', label: 'nav.barriers' },
  ],
  admin: [
    { path: '/admin/users', label: 'nav.users' },
    { path: '/admin/teams', label: 'nav.teams' },
    { path: '/admin/audit', label: 'nav.audit' },
    { path: '/admin/access-register', label: 'nav.accessRegister' },
  ],
};

export function startPage(role: Role): string {
  return navigation[role][0].path;
}

/** The navigation item a path belongs to, if the role has it. */
export function itemFor(role: Role, path: string): NavItem | undefined {
  return navigation[role].find((i) => path === i.path || path.startsWith(i.path + '/'));
}
