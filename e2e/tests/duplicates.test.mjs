import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { axe, noHorizontalScroll, phonePage, signIn, suite } from '../harness.mjs';

const env = suite(before, after);

async function signInAs(email, lang) {
  const ctx = await phonePage(env.browser);
  await ctx.page.goto(env.server.base + '/login');
  await ctx.page.getByLabel('Taal').selectOption(lang);
  await signIn(ctx.page, email);
  await ctx.page.getByTestId('user-name').waitFor();
  return ctx;
}

// expected: console lines the step causes on purpose (the duplicate check's 409).
async function done(ctx, expected = null) {
  assert.deepEqual(ctx.problems.filter((p) => !(expected && expected.test(p))), []);
  await ctx.context.close();
}

describe('duplicates and merging', () => {
  let claraURL;
  let survivorURL;

  it('a CHW deletes a visit saved twice (German, 360 px)', async () => {
    const ctx = await signInAs('chw.gent1@example.org', 'de');
    const { page } = ctx;
    await page.goto(env.server.base + '/clients/new');
    await page.getByRole('heading', { name: 'Neue Person', level: 1 }).waitFor();
    await page.getByLabel('Vorname').fill('Clara');
    await page.getByLabel('Nachname').fill('Doppel');
    await page.getByLabel('Geburtsjahr').fill('1985');
    await page.getByLabel('Telefon').fill('0470 55 44 33');
    await page.getByRole('button', { name: 'Speichern' }).click();
    await page.getByRole('heading', { name: 'Clara Doppel', level: 1 }).waitFor();
    claraURL = page.url();
    for (let i = 0; i < 2; i++) {
      await page.getByText('Straße', { exact: true }).click();
      await page.getByText('45', { exact: true }).click();
      await page.getByRole('button', { name: 'Kontakt speichern' }).click();
      await page.getByText('Kontakt gespeichert.').waitFor();
    }
    const visits = page.locator('.timeline li.tl-visit');
    await visits.nth(1).waitFor();
    assert.equal(await visits.count(), 2);
    await visits.first().getByRole('button', { name: 'Kontakt löschen' }).click();
    await page.getByText('Diesen Kontakt und die dabei notierten Hürden löschen?').waitFor();
    await noHorizontalScroll(page, 'visit delete');
    await axe(page, 'visit delete');
    await page.getByRole('button', { name: 'Ja, löschen' }).click();
    await page.getByRole('status').getByText('Kontakt gelöscht.').waitFor();
    await page.locator('.timeline').getByText('Kontakt gelöscht (Straße, 45 Min.)').waitFor();
    assert.equal(await visits.count(), 1);
    // An edit is on the timeline too.
    await visits.first().getByRole('button', { name: 'Kontakt ändern' }).click();
    await page.locator('.visit-edit textarea').fill('Zweimal getippt.');
    await noHorizontalScroll(page, 'visit edit');
    await axe(page, 'visit edit');
    await page.locator('.visit-edit').getByRole('button', { name: 'Speichern' }).click();
    await page.getByRole('status').getByText('Kontakt geändert.').waitFor();
    await page.locator('.timeline').getByText('Zweimal getippt.').waitFor();
    await done(ctx);
  });

  it("a colleague is warned of the duplicate without learning who it is (Dutch)", async () => {
    const ctx = await signInAs('chw.gent2@example.org', 'nl');
    const { page } = ctx;
    await page.goto(env.server.base + '/clients/new');
    await page.getByRole('heading', { name: 'Nieuwe cliënt', level: 1 }).waitFor();
    await page.getByLabel('Voornaam').fill('Clàra');
    await page.getByLabel('Achternaam').fill('DOPPEL ');
    await page.getByLabel('Geboortejaar').fill('1985');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    const alert = page.locator('.alert-slot');
    await alert.getByText('Een cliënt met deze gegevens wordt al gevolgd in je team; je coördinator kan de dossiers koppelen of samenvoegen.').waitFor();
    assert.doesNotMatch(await alert.innerText(), /Clara|0470|Doppel/);
    assert.equal(await alert.getByRole('link').count(), 0);
    await noHorizontalScroll(page, 'duplicate warning');
    await axe(page, 'duplicate warning');
    await page.getByRole('button', { name: 'Het is iemand anders: toch aanmaken' }).click();
    await page.getByRole('heading', { name: 'Clàra DOPPEL', level: 1 }).waitFor();
    survivorURL = page.url();
    await done(ctx, /status of 409/);
  });

  it('the coordinator merges the two records side by side (French)', async () => {
    const ctx = await signInAs('coordinator.gent@example.org', 'fr');
    const { page } = ctx;
    await page.goto(survivorURL);
    const dups = page.getByRole('region', { name: 'Doublons possibles' });
    await dups.getByText('Clara Doppel').waitFor();
    await dups.getByRole('link', { name: 'Comparer et fusionner' }).click();
    await page.getByRole('heading', { name: 'Fusionner deux dossiers', level: 1 }).waitFor();
    const phone = page.getByRole('group', { name: 'Téléphone' });
    await phone.getByText('+32470554433').waitFor();
    await phone.getByRole('radio').nth(1).check();
    await noHorizontalScroll(page, 'merge side by side');
    await axe(page, 'merge side by side');
    await page.getByRole('button', { name: 'Fusionner les dossiers' }).click();
    await page.getByRole('status').getByText('Dossiers fusionnés. Vous pouvez annuler dans les 30 jours.').waitFor();
    await page.locator('main').getByText('+32470554433').first().waitFor();
    await page.locator('.timeline').getByText('Un autre dossier de cette personne a été fusionné avec celui-ci').waitFor();
    // The merged record's old link opens the surviving record.
    await page.goto(claraURL);
    await page.waitForURL(survivorURL);
    await page.getByRole('heading', { name: 'Clàra DOPPEL', level: 1 }).waitFor();
    await done(ctx);
  });

  it('the coordinator undoes the merge (English), and the CHW finds the client by part of the phone number', async () => {
    const ctx = await signInAs('coordinator.gent@example.org', 'en');
    const { page } = ctx;
    await page.goto(survivorURL);
    const merges = page.getByRole('region', { name: 'Merged records' });
    await merges.getByText(/Can be undone until/).waitFor();
    await noHorizontalScroll(page, 'undo merge');
    await axe(page, 'undo merge');
    await merges.getByRole('button', { name: 'Undo merge' }).click();
    await page.getByRole('status').getByText('Merge undone: the other record is back.').waitFor();
    await done(ctx);

    const chw = await signInAs('chw.gent1@example.org', 'en');
    await chw.page.goto(claraURL);
    await chw.page.getByRole('heading', { name: 'Clara Doppel', level: 1 }).waitFor();
    await chw.page.getByTestId('tabbar').getByRole('link', { name: 'Caseload' }).click();
    await chw.page.getByLabel('Search by name or phone').fill('0470 55');
    await chw.page.locator('.client-link', { hasText: 'Clara Doppel' }).waitFor();
    await chw.page.getByLabel('Search by name or phone').fill('4433');
    await chw.page.locator('.client-link', { hasText: 'Clara Doppel' }).waitFor();
    await done(chw);
  });
});
