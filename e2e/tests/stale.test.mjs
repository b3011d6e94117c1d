import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { axe, openSection, outputDir, phonePage, signIn, suite } from '../harness.mjs';

const env = suite(before, after);

async function session(lang) {
  const ctx = await phonePage(env.browser);
  await ctx.page.goto(env.server.base + '/login');
  await ctx.page.getByLabel('Taal').selectOption(lang);
  await signIn(ctx.page, 'chw.gent1@example.org');
  await ctx.page.getByTestId('page-name').waitFor();
  return ctx;
}

async function openClient(page, url) {
  await page.goto(url);
  await page.getByTestId('client-name').waitFor();
  await page.waitForLoadState('networkidle');
}

async function editPhone(page, phone, save) {
  await openSection(page, 'details');
  await page.locator('[data-section=details]').getByRole('button', { name: save.edit }).click();
  await page.locator('#cf-phone').fill(phone);
  await page.getByRole('button', { name: save.save, exact: true }).click();
}

describe('stale edits', () => {
  it('two sessions edit the same client: the second sees both versions and chooses', async () => {
    const a = await session('en');
    const b = await session('nl');
    try {
      await a.page.getByTestId('tabbar').getByRole('link', { name: 'Caseload' }).click();
      await a.page.locator('.client-link').first().click();
      await a.page.getByTestId('client-name').waitFor();
      const url = a.page.url();
      await openClient(a.page, url);
      await openClient(b.page, url);

      // A saves a new phone number; B, still on the old version, saves another.
      await editPhone(a.page, '0470 11 11 11', { edit: 'Edit details', save: 'Save' });
      await a.page.getByTestId('client-phone').getByText('+32470111111').waitFor();
      await editPhone(b.page, '0470 22 22 22', { edit: 'Gegevens wijzigen', save: 'Opslaan' });

      const dialog = b.page.getByTestId('stale-dialog');
      await dialog.getByRole('heading', { name: 'Intussen gewijzigd' }).waitFor();
      const row = dialog.locator('tr[data-field=phone]');
      assert.match(await row.innerText(), /0470 22 22 22/);
      assert.match(await row.innerText(), /\+32470111111/);
      assert.match(await row.innerText(), /intussen gewijzigd/);
      // Keyboard: the focus is in the dialog and stays there.
      assert.ok(await dialog.evaluate((el) => el.contains(document.activeElement)), 'focus in the dialog');
      for (let i = 0; i < 3; i++) await b.page.keyboard.press('Tab');
      assert.ok(await dialog.evaluate((el) => el.contains(document.activeElement)), 'Tab stays in the dialog');
      await axe(b.page, 'changed-meanwhile dialog');
      await b.page.screenshot({ path: join(outputDir(), 'stale-dialog-nl.png') });

      // Escape keeps theirs: nothing of B's is saved.
      await b.page.keyboard.press('Escape');
      await b.page.getByText('De bewaarde versie blijft; uw wijziging is niet bewaard.').waitFor();
      await b.page.getByTestId('client-phone').getByText('+32470111111').waitFor();

      // Again, and this time B saves over it: sent on the new version, saved.
      await editPhone(a.page, '0470 33 33 33', { edit: 'Edit details', save: 'Save' });
      await a.page.getByTestId('client-phone').getByText('+32470333333').waitFor();
      await editPhone(b.page, '0470 44 44 44', { edit: 'Gegevens wijzigen', save: 'Opslaan' });
      await dialog.getByRole('heading', { name: 'Intussen gewijzigd' }).waitFor();
      assert.match(await dialog.locator('tr[data-field=phone]').innerText(), /\+32470333333/);
      await dialog.getByRole('button', { name: 'Mijn versie erover bewaren' }).click();
      await b.page.getByTestId('client-phone').getByText('+32470444444').waitFor();
      await openClient(a.page, url);
      await a.page.getByTestId('client-phone').getByText('+32470444444').waitFor();

      assert.deepEqual(a.problems, []);
      assert.deepEqual(b.problems.filter((p) => !/412/.test(p)), []);
    } finally {
      await a.context.close();
      await b.context.close();
    }
  });
});
