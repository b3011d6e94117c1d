// Break-the-glass: a CHW of Liège finds a Gent client by phone number,
// learns only the team, opens the record for a limited time with a reason
// (French, 360 px) and sees until when; a not-found client page offers the
// same form (Dutch); the Gent coordinator gets a task to review it (German).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { axe, noHorizontalScroll, openSection, PASSWORD, phonePage, signIn, suite } from '../harness.mjs';

const env = suite(before, after);

async function call(method, path, token, body) {
  const r = await fetch(env.server.base + path, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  assert.ok(r.ok, `${method} ${path}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function signInAs(email, lang) {
  const ctx = await phonePage(env.browser);
  await ctx.page.goto(env.server.base + '/login');
  await ctx.page.getByLabel('Taal').selectOption(lang);
  await signIn(ctx.page, email);
  await ctx.page.getByTestId('user-name').waitFor();
  return ctx;
}

// The not-found page and the refused short reason log a 404 / 422 on purpose.
async function done(ctx, expected = null) {
  assert.deepEqual(ctx.problems.filter((p) => !(expected && expected.test(p))), []);
  await ctx.context.close();
}

describe('emergency access', () => {
  let first;
  let second;

  before(async () => {
    const chw = (await call('POST', '/api/v1/auth/login', null, { email: 'chw.gent1@example.org', password: PASSWORD })).access_token;
    first = await call('POST', '/api/v1/clients', chw, { given_name: 'Emma', family_name: 'Glasbreker', birth_year: 1979, phone: '0470 91 92 93', confirm_duplicate: true });
    second = await call('POST', '/api/v1/clients', chw, { given_name: 'Jonas', family_name: 'Nooddeur', confirm_duplicate: true });
  });

  it('a CHW of another team finds the client, gives a reason and opens the record (French, 360 px)', async () => {
    const ctx = await signInAs('chw.liege1@example.org', 'fr');
    const { page } = ctx;
    await page.goto(env.server.base + '/caseload');
    await page.getByText("Client d'une autre équipe", { exact: true }).click();
    await page.getByLabel('Numéro de téléphone complet').fill('+32 470 91 92 93');
    await page.getByRole('button', { name: 'Chercher' }).click();
    const matches = page.getByTestId('lookup-matches');
    await matches.getByText("Un client de l'équipe Gent").waitFor();
    assert.doesNotMatch(await matches.innerText(), /Emma|Glasbreker|1979/);
    await noHorizontalScroll(page, 'lookup');
    await axe(page, 'lookup');

    await matches.getByRole('button', { name: "Demander un accès d'urgence" }).click();
    const form = page.getByTestId('emergency-form');
    await form.getByRole('heading', { name: 'Ouvrir ce dossier pendant 4 heures' }).waitFor();
    await form.getByLabel("Pourquoi devez-vous l'ouvrir ? (10 à 500 caractères)").fill('malade');
    await form.getByRole('button', { name: 'Ouvrir ce dossier pendant 4 heures' }).click();
    await form.getByText('Donnez un motif de 10 à 500 caractères.').waitFor();
    await axe(page, 'emergency form');
    await form.getByLabel("Pourquoi devez-vous l'ouvrir ? (10 à 500 caractères)").fill("La cliente est venue au bureau de Liège ; sa CHW de Gand est malade.");
    await form.getByRole('button', { name: 'Ouvrir ce dossier pendant 4 heures' }).click();

    await page.getByRole('heading', { name: 'Emma Glasbreker', level: 1 }).waitFor();
    const banner = page.getByTestId('emergency-banner');
    await banner.waitFor();
    assert.match(await banner.innerText(), /^Ouvert en accès d'urgence jusqu'au .+\d\d:\d\d/);
    await noHorizontalScroll(page, 'client under emergency access');
    await axe(page, 'client under emergency access');
    await done(ctx);
  });

  it('a not-found client page offers the same form (Dutch)', async () => {
    const ctx = await signInAs('chw.liege1@example.org', 'nl');
    const { page } = ctx;
    await page.goto(`${env.server.base}/clients/${second.id}`);
    await page.getByRole('heading', { name: 'Cliënt niet gevonden', level: 1 }).waitFor();
    const form = page.getByTestId('emergency-form');
    await form.getByLabel('Waarom moet je het openen? (10 tot 500 tekens)').fill('De cliënt staat aan ons loket, zijn CHW is ziek.');
    await axe(page, 'not found with emergency form');
    await form.getByRole('button', { name: 'Dit dossier 4 uur openen' }).click();
    await page.getByRole('heading', { name: 'Jonas Nooddeur', level: 1 }).waitFor();
    await page.getByTestId('emergency-banner').getByText(/Geopend met noodtoegang tot/).waitFor();
    await done(ctx, /status of 404/);
  });

  it("the client's coordinator gets a task to review it (German)", async () => {
    const ctx = await signInAs('coordinator.gent@example.org', 'de');
    const { page } = ctx;
    await page.goto(`${env.server.base}/clients/${first.id}`);
    await page.getByRole('heading', { name: 'Emma Glasbreker', level: 1 }).waitFor();
    await openSection(page, 'tasks');
    await page.getByText(/hat diese Akte per Notfallzugriff bis .* geöffnet\. Grund: La cliente est venue au bureau de Liège/).waitFor();
    await page.locator('.timeline').getByText(/^Per Notfallzugriff geöffnet bis .+: La cliente est venue au bureau de Liège/).waitFor();
    assert.equal(await page.getByTestId('emergency-banner').count(), 0);
    await done(ctx);
  });
});
