import { describe, expect, it } from 'vitest';
import { itemFor, itemsFor, navigation, startPage } from './nav';

describe('navigation', () => {
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
});
