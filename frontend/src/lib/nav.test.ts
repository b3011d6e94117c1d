import { describe, expect, it } from 'vitest';
import { documentTitle, itemFor, itemsFor, navigation, startPage, tabsFor, titleKey } from './nav';
import { nl } from './i18n/nl';

describe('navigation', () => {
  it('gives the CHW a tab bar of four main places, each also in the menu, and no one else', () => {
    expect(tabsFor('chw').map((t) => t.path)).toEqual(['/today', '/caseload', '/appointments', '/tasks']);
    const paths = itemsFor('chw').map((i) => i.path);
    for (const tab of tabsFor('chw')) expect(paths).toContain(tab.path);
    for (const role of ['coordinator', 'manager', 'admin', 'dpo'] as const) expect(tabsFor(role)).toEqual([]);
  });

  it('gives every role its own start page', () => {
    expect(startPage('chw')).toBe('/today');
    expect(startPage('coordinator')).toBe('/team');
    expect(startPage('manager')).toBe('/dashboard');
    expect(startPage('admin')).toBe('/admin/users');
  });
  it('does not show admin pages to other roles', () => {
    for (const role of ['chw', 'coordinator', 'manager'] as const) {
      expect(itemFor(role, '/admin/users')).toBeUndefined();
      expect(navigation[role].some((i) => i.path.startsWith('/admin'))).toBe(false);
    }
  });
  it('keeps client records out of manager and admin navigation', () => {
    for (const role of ['manager', 'admin'] as const) {
      expect(navigation[role].some((i) => i.path.includes('caseload'))).toBe(false);
    }
  });
  it('gives group sessions to CHWs and coordinators only', () => {
    expect(itemFor('chw', '/group-sessions')?.label).toBe('nav.groups');
    expect(itemFor('coordinator', '/group-sessions/1/participant')?.path).toBe('/group-sessions');
    expect(itemFor('manager', '/group-sessions')).toBeUndefined();
    expect(itemFor('admin', '/group-sessions')).toBeUndefined();
  });
  it('shows the research extract only to callers with research:extract', () => {
    expect(itemFor('manager', '/research')).toBeUndefined();
    expect(itemFor('manager', '/research', ['reports:read_all', 'research:extract'])?.label).toBe('nav.research');
    expect(itemsFor('manager', ['reports:read_fund']).some((i) => i.path === '/research')).toBe(false);
    for (const role of ['chw', 'coordinator', 'admin'] as const) expect(itemFor(role, '/research', ['research:extract'])).toBeUndefined();
  });
  it('gives the data protection officer the audit log and nothing of client records', () => {
    expect(startPage('dpo')).toBe('/admin/audit');
    expect(navigation.dpo.map((i) => i.path)).toEqual(['/admin/audit', '/admin/access-register']);
    expect(itemFor('dpo', '/caseload')).toBeUndefined();
    expect(itemFor('dpo', '/admin/users')).toBeUndefined();
  });
  it('gives the access register to admins and the data protection officer only', () => {
    expect(itemFor('admin', '/admin/access-register')?.label).toBe('nav.accessRegister');
    expect(itemFor('dpo', '/admin/access-register')?.label).toBe('nav.accessRegister');
    for (const role of ['chw', 'coordinator', 'manager'] as const) expect(itemFor(role, '/admin/access-register')).toBeUndefined();
  });
  it('matches sub-paths to their item', () => {
    expect(itemFor('chw', '/caseload/123')?.path).toBe('/caseload');
  });
  it('names every page in its title, the way the shell routes it', () => {
    expect(titleKey('chw', '/today')).toBe('nav.today');
    expect(titleKey('chw', '/caseload')).toBe('nav.caseload');
    expect(titleKey('coordinator', '/caseload')).toBe('nav.teamCaseload');
    expect(titleKey('chw', '/clients/abc')).toBe('title.client');
    expect(titleKey('chw', '/clients/new')).toBe('clients.new');
    expect(titleKey('chw', '/clients/abc/refer')).toBe('wizard.title');
    expect(titleKey('coordinator', '/clients/a/merge/b')).toBe('merge.title');
    expect(titleKey('chw', '/group-sessions/g1/participant')).toBe('groups.participantTitle');
    expect(titleKey('manager', '/dashboard')).toBe('nav.dashboard');
    expect(titleKey('admin', '/account/sessions')).toBe('sessions.title');
    // A manager has no client records: the shell shows "not found" there.
    expect(titleKey('manager', '/clients/abc')).toBe('title.notFound');
    expect(titleKey('chw', '/admin/users')).toBe('title.notFound');
    expect(titleKey('manager', '/research')).toBe('title.notFound');
    expect(titleKey('manager', '/research', ['research:extract'])).toBe('nav.research');
  });
  it('writes titles as "page — Brug"', () => {
    expect(documentTitle(nl[titleKey('chw', '/today')], nl['app.name'])).toBe('Vandaag — Brug');
  });
});
