import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { axe, launch, noHorizontalScroll, phonePage, signIn, startServer } from '../harness.mjs';

// RFC 6238 codes, as the authenticator app on the phone makes them.
function base32(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of s.replace(/[\s=]/g, '').toUpperCase()) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const out = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) out.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(out);
}
function totp(secret, at = Date.now()) {
  const step = Buffer.alloc(8);
  step.writeBigUInt64BE(BigInt(Math.floor(at / 30000)));
  const mac = createHmac('sha1', base32(secret)).update(step).digest();
  const o = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(o) & 0x7fffffff) % 1e6).padStart(6, '0');
}

const env = {};
before(async () => {
  // Coordinators must use a second factor here, as in production.
  env.server = await startServer({ BRUG_SECOND_FACTOR_ROLES: 'coordinator' });
  env.browser = await launch();
});
after(async () => {
  await env.browser?.close();
  await env.server?.stop();
});

describe('second factor', () => {
  it('a coordinator sets it up at sign-in, signs in with codes, and an admin resets it after a lost phone (360 px, fr)', async () => {
    const me = await phonePage(env.browser);
    const adm = await phonePage(env.browser);
    const page = me.page;
    try {
      await page.goto(env.server.base + '/login');
      await page.getByLabel('Taal').selectOption('fr');
      await signIn(page, 'coordinator.liege@example.org');
      // The role must have one: the set-up comes before the app.
      await page.getByRole('heading', { name: 'Configurez votre second facteur', level: 1 }).waitFor();
      await page.getByRole('img', { name: /Code QR/ }).waitFor();
      await noHorizontalScroll(page, 'second factor set-up');
      await axe(page, 'second factor set-up');
      const secret = (await page.getByTestId('totp-secret').innerText()).replace(/\s+/g, '');
      assert.match(secret, /^[A-Z2-7]{32}$/);
      // A wrong first code is refused, in French, next to the field.
      await page.getByLabel('Code à six chiffres de l\'application').fill('000000');
      await page.locator('form button[type=submit]').click();
      await page.getByText('Ce code n\'est pas correct ou a déjà servi.', { exact: false }).waitFor();
      await page.locator('#first-code').fill(totp(secret));
      await page.locator('form button[type=submit]').click();
      await page.getByRole('heading', { name: 'Vos codes de secours', level: 1 }).waitFor();
      const codes = await page.getByTestId('recovery-codes').locator('li').allInnerTexts();
      assert.equal(codes.length, 10);
      await axe(page, 'recovery codes');
      await noHorizontalScroll(page, 'recovery codes');
      await page.getByRole('button', { name: 'Je les ai gardés, continuer' }).click();
      await page.getByTestId('user-name').waitFor();

      // Next time: the password, then a code. A recovery code works too.
      await page.locator('.logout').click();
      await page.locator('#email').waitFor();
      await signIn(page, 'coordinator.liege@example.org');
      await page.getByRole('heading', { name: 'Saisissez votre code', level: 1 }).waitFor();
      await axe(page, 'code step');
      await page.getByRole('button', { name: 'Téléphone perdu ? Utilisez un code de secours' }).click();
      await page.locator('#code').fill(codes[0].toUpperCase());
      await page.locator('form button[type=submit]').click();
      await page.getByTestId('user-name').waitFor();
      await page.locator('.logout').click();
      await page.locator('#email').waitFor();
      await signIn(page, 'coordinator.liege@example.org');
      await page.locator('#code').waitFor();
      // The code of the step after the one used at set-up (the app's clock may run ahead).
      await page.locator('#code').fill(totp(secret, Date.now() + 30000));
      await page.locator('form button[type=submit]').click();
      await page.getByTestId('user-name').waitFor();

      // The phone is lost: an admin resets it; the coordinator's session ends.
      await adm.page.goto(env.server.base + '/login');
      await adm.page.getByLabel('Taal').selectOption('en');
      await signIn(adm.page, 'admin@example.org');
      await adm.page.getByTestId('user-name').waitFor();
      await adm.page.goto(env.server.base + '/admin/users');
      const card = adm.page.locator('li.user', { hasText: 'coordinator.liege@example.org' });
      await card.getByText('Second factor on').waitFor();
      adm.page.once('dialog', (d) => d.accept());
      await card.getByRole('button', { name: 'Reset second factor' }).click();
      await adm.page.getByText('The second factor of Louise Coordinatrice was reset.').waitFor();
      await page.reload();
      await page.locator('#email').waitFor();
      // The next sign-in sets up a new one, and the app says who reset it.
      await signIn(page, 'coordinator.liege@example.org');
      await page.getByRole('heading', { name: 'Configurez votre second facteur', level: 1 }).waitFor();
      const secret2 = (await page.getByTestId('totp-secret').innerText()).replace(/\s+/g, '');
      assert.notEqual(secret2, secret);
      await page.locator('#first-code').fill(totp(secret2));
      await page.locator('form button[type=submit]').click();
      await page.getByRole('button', { name: 'Je les ai gardés, continuer' }).click();
      await page.getByText(/Ada Admin a effacé votre second facteur/).waitFor();
      await axe(page, 'notice of the reset');
      // The one wrong code on purpose answered 422, which Chromium logs.
      assert.deepEqual(me.problems.filter((p) => !/status of 422/.test(p)), []);
      assert.deepEqual(adm.problems, []);
    } finally {
      await me.context.close();
      await adm.context.close();
    }
  });
});
