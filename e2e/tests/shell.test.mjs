import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { axe, noHorizontalScroll, phonePage, signIn, suite } from '../harness.mjs';

const env = suite(before, after);

const accounts = [
  { email: 'chw.gent1@example.org', name: 'Hanne Peeters', role: { nl: 'Gezondheidswerker', en: 'Community health worker' }, scope: 'Gent',
    nav: { nl: ['Vandaag', 'Mijn caseload', 'Afspraken', 'Taken', 'Groepssessies', 'Zorgverleners', 'Mijn activiteit', 'Maandoverzicht'], en: ['Today', 'My caseload', 'Appointments', 'Tasks', 'Group sessions', 'Providers', 'My activity', 'Monthly summary'] } },
  { email: 'coordinator.gent@example.org', name: 'Griet Coördinator', role: { nl: 'Coördinator', en: 'Coordinator' }, scope: 'Gent',
    nav: { nl: ['Teambord', 'Aanmeldingen', 'Caseload', 'Teamrapport', 'Coaching', 'Doelen', 'Maandoverzicht', 'Groepssessies', 'Zorgverleners'], en: ['Team board', 'Intake queue', 'Caseload', 'Team report', 'Coaching', 'Targets', 'Monthly summary', 'Group sessions', 'Providers'] } },
  { email: 'coordinator.liege@example.org', name: 'Louise Coordinatrice', role: { nl: 'Coördinator', en: 'Coordinator' }, scope: 'Liège',
    nav: { nl: ['Teambord', 'Aanmeldingen', 'Caseload', 'Teamrapport', 'Coaching', 'Doelen', 'Maandoverzicht', 'Groepssessies', 'Zorgverleners'], en: ['Team board', 'Intake queue', 'Caseload', 'Team report', 'Coaching', 'Targets', 'Monthly summary', 'Group sessions', 'Providers'] } },
  { email: 'manager@example.org', name: 'Marc Manager', role: { nl: 'Manager', en: 'Manager' }, scope: { nl: 'Volledig programma', en: 'Whole programme' },
    nav: { nl: ['Dashboard', 'Activiteitenrapport', 'Drempelrapport', 'Onderzoeksextract'], en: ['Dashboard', 'Activity report', 'Barrier report', 'Research extract'] } },
  { email: 'admin@example.org', name: 'Ada Admin', role: { nl: 'Beheerder', en: 'Administrator' }, scope: null,
    nav: { nl: ['Gebruikers', 'Teams', 'Doelen', 'Auditlog', 'Toegangsregister'], en: ['Users', 'Teams', 'Targets', 'Audit log', 'Access register'] } },
];

const allNavLabels = new Set(accounts.flatMap((a) => [...a.nav.nl, ...a.nav.en]));

// Every page has its own title in the UI language ("Vandaag — Brug").
async function assertTitle(page, want) {
  await page.waitForFunction((t) => document.title === t, want, { timeout: 5000 }).catch(() => {});
  assert.equal(await page.title(), want);
}

async function navLabels(page) {
  return (await page.getByRole('navigation').locator('a .nav-text').allInnerTexts()).map((s) => s.trim());
}



describe('sign-in shell', () => {
  for (const acc of accounts) {
    it(`${acc.email}: sign in, see who and what, switch language, reload, sign out`, async () => {
      const { context, page, problems } = await phonePage(env.browser);
      try {
        await page.goto(env.server.base + '/login');
        await page.locator('#email').waitFor();
        // The browser locale is nl-BE and nothing is stored: Dutch.
        assert.equal(await page.locator('html').getAttribute('lang'), 'nl');
        await assertTitle(page, 'Aanmelden — Brug');
        // Choosing on the sign-in page is explicit: it wins over the profile's language.
        await page.getByLabel('Taal').selectOption('nl');
        await signIn(page, acc.email);
        await page.getByTestId('user-name').waitFor();
        assert.equal(await page.getByTestId('user-name').innerText(), acc.name);
        assert.equal(await page.getByTestId('user-role').innerText(), acc.role.nl);
        if (acc.scope) {
          const want = typeof acc.scope === 'string' ? acc.scope : acc.scope.nl;
          assert.match(await page.getByTestId('user-scope').innerText(), new RegExp(want));
        }
        assert.deepEqual(await navLabels(page), acc.nav.nl);
        await assertTitle(page, `${acc.nav.nl[0]} — Brug`);
        for (const label of allNavLabels) {
          if (!acc.nav.nl.includes(label) && !acc.nav.en.includes(label) && !['Teams', 'Caseload', 'Dashboard', 'Providers', 'Zorgverleners'].includes(label)) {
            assert.equal(await page.getByRole('navigation').getByRole('link', { name: label, exact: true }).count(), 0, `${label} shown to ${acc.email}`);
          }
        }
        await noHorizontalScroll(page);

        // Language: every switch changes the visible text and <html lang>.
        const sw = page.getByLabel(/Taal|Langue|Sprache|Language/);
        for (const [lang, logout] of [['fr', 'Se déconnecter'], ['de', 'Abmelden'], ['en', 'Sign out'], ['nl', 'Afmelden']]) {
          await sw.selectOption(lang);
          await page.getByRole('button', { name: logout }).waitFor();
          assert.equal(await page.locator('html').getAttribute('lang'), lang);
        }
        await sw.selectOption('en');
        assert.deepEqual(await navLabels(page), acc.nav.en);

        // A reload keeps both the session (refresh cookie) and the language.
        await page.reload();
        await page.getByTestId('user-name').waitFor();
        assert.equal(await page.getByTestId('user-role').innerText(), acc.role.en);
        assert.equal(await page.locator('html').getAttribute('lang'), 'en');
        assert.deepEqual(await navLabels(page), acc.nav.en);

        // The access token is never stored in the browser.
        const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
        assert.doesNotMatch(stored, /eyJ/);

        // Every navigation item opens a page with its own heading, and passes axe once loaded.
        // On a phone the CHW's four main places are in the bottom tab bar, the rest in the menu.
        const tabs = acc.email.startsWith('chw.') ? { 'Today': 'Today', 'My caseload': 'Caseload', 'Appointments': 'Appointments', 'Tasks': 'Tasks' } : {};
        assert.equal(await page.getByTestId('tabbar').count(), Object.keys(tabs).length ? 1 : 0);
        for (const label of acc.nav.en) {
          if (tabs[label]) await page.getByTestId('tabbar').getByRole('link', { name: tabs[label], exact: true }).click();
          else await page.getByRole('navigation').getByRole('link', { name: label, exact: true }).click();
          await page.getByRole('heading', { level: 1, name: label === 'My caseload' || label === 'Caseload' ? label : undefined }).first().waitFor();
          await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
          await assertTitle(page, `${label} — Brug`);
          await axe(page, `${acc.email}: ${label}`);
          await noHorizontalScroll(page, `${acc.email}: ${label}`);
        }

        await page.getByRole('button', { name: 'Sign out' }).click();
        await page.locator('#email').waitFor();
        const left = await page.evaluate(() => Object.keys(localStorage));
        assert.deepEqual(left, ['brug.lang'], 'only the language survives sign-out');
        await page.reload();
        await page.locator('#email').waitFor();
        assert.equal(await page.getByTestId('user-name').count(), 0);
        assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Sign in');
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }

  it('a signed-out visit asks nothing of the session and logs nothing', async () => {
    const context = await env.browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'nl-BE' });
    const page = await context.newPage();
    const errors = [];
    const refreshes = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('request', (r) => { if (r.url().includes('/api/v1/auth/refresh')) refreshes.push(r.url()); });
    try {
      await page.goto(env.server.base + '/login');
      await page.locator('#email').waitFor();
      await page.goto(env.server.base + '/caseload');
      await page.locator('#email').waitFor();
      assert.deepEqual(refreshes, [], 'no refresh request without a session');
      assert.deepEqual(errors, [], 'no console error (a 401 was logged on every load before)');
      // Signed in, the refresh token never reaches page scripts.
      await signIn(page, 'chw.gent1@example.org');
      await page.getByTestId('user-name').waitFor();
      const cookies = await page.evaluate(() => document.cookie);
      assert.match(cookies, /brug_session=1/);
      assert.doesNotMatch(cookies, /brug_refresh/);
    } finally {
      await context.close();
    }
  });

  it('a person sees where they are signed in and ends another session (360 px)', async () => {
    const other = await phonePage(env.browser);
    const mine = await phonePage(env.browser);
    try {
      for (const ctx of [other, mine]) {
        await ctx.page.goto(env.server.base + '/login');
        await ctx.page.getByLabel('Taal').selectOption('en');
        await signIn(ctx.page, 'coordinator.liege@example.org');
        await ctx.page.getByTestId('user-name').waitFor();
      }
      await mine.page.getByRole('link', { name: 'Sessions', exact: true }).click();
      await mine.page.getByRole('heading', { name: 'Your sessions', level: 1 }).waitFor();
      const list = mine.page.getByTestId('sessions');
      await list.getByText('This device').waitFor();
      const before = await list.locator('li').count();
      assert.ok(before >= 2, `two sign-ins, ${before} sessions`);
      await noHorizontalScroll(mine.page, 'sessions');
      await axe(mine.page, 'sessions');
      await list.locator('li', { hasNotText: 'This device' }).first().getByRole('button', { name: /^End session: / }).click();
      await mine.page.getByText(/The session on .* has ended\./).waitFor();
      assert.equal(await list.locator('li').count(), before - 1);
      // The other browser's session is over: its next request sends it to sign in.
      await other.page.reload();
      await other.page.locator('#email').waitFor();
      assert.deepEqual(mine.problems, []);
    } finally {
      await other.context.close();
      await mine.context.close();
    }
  });

  it('a wrong password shows an error next to the form, in the chosen language', async () => {
    const { context, page, problems } = await phonePage(env.browser);
    try {
      await page.goto(env.server.base + '/login');
      await page.getByLabel('Taal').selectOption('fr');
      await signIn(page, 'chw.gent1@example.org', 'wrong-password');
      const alert = page.getByRole('alert');
      await alert.getByText('L’adresse e-mail ou le mot de passe est incorrect.').waitFor();
      assert.equal(await page.locator('#password').inputValue(), '');
      await axe(page, 'login page with error');
      assert.deepEqual(problems.filter((p) => !/401/.test(p)), []);
    } finally {
      await context.close();
    }
  });

  it('without a choice, the interface follows the profile language', async () => {
    const { context, page } = await phonePage(env.browser);
    try {
      await page.goto(env.server.base + '/login');
      await signIn(page, 'chw.liege1@example.org');
      await page.getByTestId('user-name').waitFor();
      assert.equal(await page.getByTestId('user-role').innerText(), 'Agent de santé communautaire');
      assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
    } finally {
      await context.close();
    }
  });

  it('the login form works with the keyboard alone', async () => {
    const { context, page } = await phonePage(env.browser);
    try {
      await page.goto(env.server.base + '/login');
      await page.locator('#email').waitFor();
      await page.keyboard.press('Tab'); // language switcher
      await page.keyboard.press('Tab');
      await page.keyboard.type('coordinator.liege@example.org');
      await page.keyboard.press('Tab');
      await page.keyboard.type('demo-brug-2026');
      await page.keyboard.press('Enter');
      await page.getByTestId('user-name').waitFor();
      assert.equal(await page.getByTestId('user-name').innerText(), 'Louise Coordinatrice');
    } finally {
      await context.close();
    }
  });

  it('the admin sees the users list and can create and disable an account', async () => {
    const { context, page, problems } = await phonePage(env.browser);
    try {
      await page.goto(env.server.base + '/login');
      await page.getByLabel('Taal').selectOption('en');
      await signIn(page, 'admin@example.org');
      await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
      for (const name of ['Hanne Peeters', 'Griet Coördinator', 'Marc Manager', 'Mehdi Lambert']) {
        await page.getByRole('heading', { name, level: 2 }).waitFor();
      }
      await page.getByRole('button', { name: 'New user' }).click();
      await page.getByRole('button', { name: 'Create user' }).click();
      await page.getByText('Please correct the fields marked below.').waitFor();
      assert.equal(await page.locator('#nu-name').getAttribute('aria-invalid'), 'true');
      await page.locator('#nu-name').fill('Sara Nieuw');
      await page.locator('#nu-email').fill('sara.nieuw@example.org');
      await page.getByLabel('Gent').check();
      assert.equal(await page.locator('#nu-password').count(), 0, 'an admin sets no password');
      await page.getByTestId('client-access-warning').waitFor();
      await page.getByRole('button', { name: 'Create user' }).click();
      await page.getByText('The account of Sara Nieuw was created. An invitation to choose a password was sent to sara.nieuw@example.org').waitFor();
      problems.splice(0, problems.length, ...problems.filter((p) => !/Failed to load resource: .*422/.test(p)));
      await page.getByRole('button', { name: 'Disable Sara Nieuw' }).click();
      await page.getByRole('button', { name: 'Enable Sara Nieuw' }).waitFor();
      await page.getByRole('link', { name: 'Teams', exact: true }).click();
      await page.getByRole('heading', { name: 'Liège', level: 2 }).waitFor();
      await page.getByText('Droixhe', { exact: false }).first().waitFor();
      await axe(page, 'teams page');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
