import { describe, expect, it } from 'vitest';
import { roleKey, ruleKey } from './accessregister';
import { en } from './i18n/en';

describe('access register', () => {
  it('names roles, the programme-wide manager too', () => {
    expect(roleKey('chw')).toBe('role.chw');
    expect(roleKey('manager_all')).toBe('register.role.manager_all');
  });
  it('renders known permissions from the catalogue and falls back for new ones', () => {
    expect(ruleKey('clients:emergency_access', en)).toBe('register.perm.clients:emergency_access');
    expect(ruleKey('clients:new_thing', en)).toBeNull();
  });
});
