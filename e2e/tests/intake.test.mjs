import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD, axe, noHorizontalScroll, phonePage, signIn, suite } from '../harness.mjs';

const env = suite(before, after);

const regions = {
  nl: ['Vlaanderen', 'Wallonië', 'Brussel', 'Duitstalige Gemeenschap'],
  fr: ['Flandre', 'Wallonie', 'Bruxelles', 'Communauté germanophone'],
  de: ['Flandern', 'Wallonien', 'Brüssel', 'Deutschsprachige Gemeinschaft'],
  en: ['Flanders', 'Wallonia', 'Brussels', 'German-speaking Community'],
};
const gentOutreach = {
  nl: 'laagdrempelige inloopplekken in de hele stad',
  fr: "des lieux d'accueil à bas seuil dans toute la ville",
  de: 'niedrigschwellige Anlaufstellen in der ganzen Stadt',
  en: 'low-threshold drop-in places across the city',
};
// The withdrawal page of a request that became a client, before confirming.
const convertedIntro = {
  nl: 'Een CHW helpt je al met deze aanvraag.',
  fr: 'Un CHW vous aide déjà pour cette demande.',
  de: 'Ein CHW hilft Ihnen bereits bei dieser Anfrage.',
  en: 'A CHW is already helping you with this request.',
};

async function apiCall(method, path, body, token) {
  const r = await fetch(env.server.base + path, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : null };
}

async function tokenOf(email) {
  const r = await apiCall('POST', '/api/v1/auth/login', { email, password: PASSWORD });
  assert.equal(r.status, 200);
  return r.json.access_token;
}

describe('intake from the public form', () => {
  it('where we work: one heading per region and the teams’ texts in each language', async () => {
    const { context, page, problems } = await phonePage(env.browser);
    try {
      for (const [lang, names] of Object.entries(regions)) {
        await page.goto(`${env.server.base}/${lang}/where`);
        const headings = await page.locator('.areas h2').allInnerTexts();
        assert.deepEqual(headings.map((h) => h.trim()), names, `/${lang}/where region headings`);
        const ids = await page.locator('[id]').evaluateAll((els) => els.map((e) => e.id));
        assert.equal(new Set(ids).size, ids.length, `/${lang}/where has duplicate ids`);
        const gent = page.locator('.team', { has: page.locator('h3', { hasText: /Gent$/ }) });
        assert.match(await gent.innerText(), new RegExp(gentOutreach[lang].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
        await axe(page, `/${lang}/where`);
        await noHorizontalScroll(page, `/${lang}/where`);
      }
      // The live filter knows the other names of a place.
      await page.goto(env.server.base + '/fr/where');
      await page.getByLabel('Tapez votre quartier ou votre commune').fill('Gand');
      await page.waitForFunction(() => document.querySelectorAll('.team:not([hidden])').length === 1);
      assert.equal(await page.locator('.team:not([hidden]) h3').innerText(), 'Équipe Gent');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('“Rabot, Gand” reaches team Gent; withdrawing a converted request says what happens', async () => {
    const { context, page, problems } = await phonePage(env.browser);
    try {
      await page.goto(env.server.base + '/fr/contact');
      await page.locator('#kind-want_chw').check();
      await page.locator('#name').fill('Claire Rabot');
      await page.locator('#phone').fill('0470 61 62 63');
      await page.locator('#municipality').fill('Rabot, Gand');
      await page.locator('#message').fill("J'ai besoin d'un médecin généraliste.");
      await page.locator('#consent').check();
      await page.getByRole('button', { name: 'Envoyer' }).click();
      await page.getByText("Un coordinateur de l'équipe Gent vous contactera dans les 3 jours ouvrables.").waitFor();
      const withdrawURL = await page.locator('#withdraw-link').getAttribute('href');
      const token = withdrawURL.slice(withdrawURL.lastIndexOf('/') + 1);

      // Gent's coordinator makes a client of it.
      const coord = await tokenOf('coordinator.gent@example.org');
      const queue = await apiCall('GET', '/api/v1/contact-requests', undefined, coord);
      const req = queue.json.items.find((r) => r.name === 'Claire Rabot');
      assert.ok(req, 'the request is in Gent’s queue');
      const chws = await apiCall('GET', '/api/v1/users?role=chw&q=chw.gent1', undefined, await tokenOf('admin@example.org'));
      const conv = await apiCall('POST', `/api/v1/contact-requests/${req.id}/convert`, { chw_id: chws.json.items[0].id }, coord);
      assert.equal(conv.status, 201, JSON.stringify(conv.json));

      for (const [lang, intro] of Object.entries(convertedIntro)) {
        await page.goto(`${env.server.base}/${lang}/withdraw/${token}`);
        await page.getByText(intro, { exact: false }).waitFor();
        await axe(page, `/${lang}/withdraw (converted)`);
      }
      await page.goto(`${env.server.base}/de/withdraw/${token}`);
      await page.getByRole('button', { name: 'Meine Einwilligung widerrufen' }).click();
      await page.getByText('die Angaben Ihrer Anfrage wurden gelöscht. Wir bitten Ihren CHW, sich bei Ihnen zu melden.', { exact: false }).waitFor();
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('the admin gives a coordinator the programme intake duty on the user screen', async () => {
    const { context, page, problems } = await phonePage(env.browser);
    try {
      const liege = await tokenOf('coordinator.liege@example.org');
      await apiCall('POST', '/api/v1/public/contact', {
        kind: 'want_chw', name: 'Nadia Namur', phone: '0470 71 72 73', municipality: 'Namur', language: 'fr',
        message: 'Je cherche de l’aide.', consent: true, consent_version: '2026-11',
      });
      const names = async () => (await apiCall('GET', '/api/v1/contact-requests', undefined, liege)).json.items.map((r) => r.name);
      assert.ok(!(await names()).includes('Nadia Namur'), 'without the duty, Liège does not see an unmatched request');

      await page.goto(env.server.base + '/login');
      await page.getByLabel('Taal').selectOption('en');
      await signIn(page, 'admin@example.org');
      await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
      await page.getByLabel('Search').fill('Louise');
      const card = page.locator('li.user', { has: page.getByRole('heading', { name: 'Louise Coordinatrice', level: 2 }) });
      const duty = card.getByRole('checkbox', { name: 'Handles the programme intake (requests no team covers)' });
      await duty.waitFor();
      assert.equal(await duty.isChecked(), false);
      await duty.check();
      await page.getByText('Louise Coordinatrice now handles the programme intake.').waitFor();
      await axe(page, 'users with the intake duty');
      assert.ok((await names()).includes('Nadia Namur'), 'with the duty, Liège sees the unmatched request');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
