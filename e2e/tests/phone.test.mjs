import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { axe, noHorizontalScroll, outputDir, phonePage, signIn, suite } from '../harness.mjs';

const env = suite(before, after);

const words = {
  nl: { today: 'Vandaag', caseload: 'Caseload', menu: 'Menu', answer: 'Beantwoorden' },
  fr: { today: 'Aujourd’hui', caseload: 'Dossiers', menu: 'Menu', answer: 'Répondre' },
  de: { today: 'Heute', caseload: 'Fälle', menu: 'Menü', answer: 'Beantworten' },
  en: { today: 'Today', caseload: 'Caseload', menu: 'Menu', answer: 'Answer' },
};

// How many lines each element's text takes, and whether it is cut off (…).
function lines(locator) {
  return locator.evaluateAll((els) => els.map((el) => {
    const r = document.createRange();
    r.selectNodeContents(el);
    const tops = new Set([...r.getClientRects()].map((x) => Math.round(x.top)));
    return { text: el.textContent.trim(), lines: tops.size, cut: el.scrollWidth > el.clientWidth + 1 };
  }));
}

function assertOneLine(items, where) {
  assert.ok(items.length > 0, `${where}: no items`);
  for (const it of items) {
    assert.equal(it.lines, 1, `${where}: "${it.text}" takes ${it.lines} lines`);
    assert.equal(it.cut, false, `${where}: "${it.text}" is cut off`);
  }
}

describe('phone layout at 360 × 740', () => {
  for (const lang of ['nl', 'fr', 'de', 'en']) {
    it(`${lang}: compact top bar, tab bar, menu on one line each, the client page opens on the visit log`, async () => {
      const { context, page, problems } = await phonePage(env.browser);
      const out = outputDir();
      const w = words[lang];
      try {
        await page.goto(env.server.base + '/login');
        await page.getByLabel('Taal').selectOption(lang);
        await signIn(page, 'chw.gent1@example.org');
        await page.getByRole('heading', { name: w.today, level: 1 }).waitFor();
        await page.locator('main section').first().waitFor();

        // The top bar: page name, a slot for the sync state, the menu button; small.
        const bar = page.getByTestId('topbar');
        const box = await bar.boundingBox();
        assert.ok(box.height <= 64, `top bar is ${box.height}px high`);
        assert.equal(await page.getByTestId('page-name').innerText(), w.today);
        assert.equal(await page.locator('#sync-state').count(), 1);

        // The CHW's four places in a bottom tab bar, each label on one line, uncut.
        const tabbar = page.getByTestId('tabbar');
        const tb = await tabbar.boundingBox();
        assert.ok(Math.abs(tb.y + tb.height - 740) <= 1, `tab bar ends at ${tb.y + tb.height}`);
        assert.equal(await tabbar.getByRole('link').count(), 4);
        assert.equal(await tabbar.getByRole('link', { name: w.today }).getAttribute('aria-current'), 'page');
        assertOneLine(await lines(tabbar.locator('.tab-text')), `${lang} tab bar`);

        // The menu: opened by its button, items one per line, Escape closes it.
        const menuButton = bar.getByRole('button', { name: w.menu });
        await menuButton.click();
        assert.equal(await menuButton.getAttribute('aria-expanded'), 'true');
        const menu = page.getByTestId('menu');
        await menu.locator('select').first().waitFor();
        const visibleNav = menu.getByRole('navigation').locator('li:not(.in-tabs) .nav-text');
        assert.equal(await visibleNav.count(), 4); // group sessions, providers, my activity, monthly summary
        assertOneLine(await lines(visibleNav), `${lang} menu`);
        // Each item's link is one line high too (no wrapping into rows).
        for (const h of await menu.getByRole('navigation').locator('li:not(.in-tabs) a').evaluateAll((as) => as.map((a) => {
          const cs = getComputedStyle(a);
          const line = parseFloat(cs.lineHeight) || parseFloat(cs.fontSize) * 1.5;
          return { text: a.textContent.trim(), height: a.getBoundingClientRect().height - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom), line };
        }))) {
          assert.ok(h.height <= 1.5 * h.line, `${lang} menu: "${h.text}" is ${h.height}px high for a ${h.line}px line`);
        }
        await page.screenshot({ path: join(out, `phone-menu-${lang}.png`) });
        assert.ok(await menu.evaluate((el) => el.contains(document.activeElement)), 'focus moves into the open menu');
        await page.keyboard.press('Escape');
        assert.equal(await menuButton.getAttribute('aria-expanded'), 'false');
        assert.ok(await menuButton.evaluate((el) => el === document.activeElement), 'Escape gives the focus back to the menu button');

        // Today: a referral's actions sit behind one Answer button (a dialog).
        await page.waitForLoadState('networkidle');
        const answers = page.getByRole('button', { name: w.answer, exact: true });
        if (await answers.count()) {
          await answers.first().click();
          const dialog = page.getByTestId('answer-dialog');
          await dialog.getByRole('heading').waitFor();
          assert.ok((await dialog.getByRole('button').count()) >= 2, 'the answer dialog has the actions');
          await page.keyboard.press('Escape');
          await dialog.getByRole('heading').waitFor({ state: 'hidden' });
        }
        assert.equal(await page.locator('main li.referral .actions').count(), 0, 'no action rows on Today');
        await noHorizontalScroll(page, `today ${lang}`);
        await axe(page, `today ${lang}`);
        // Today loaded afresh: its layout shift, printed (Lighthouse's figures are make bench-web's).
        await page.addInitScript(() => {
          window.__cls = 0;
          new PerformanceObserver((l) => { for (const e of l.getEntries()) if (!e.hadRecentInput) window.__cls += e.value; })
            .observe({ type: 'layout-shift', buffered: true });
        });
        await page.goto(env.server.base + '/today');
        await page.locator('main section').first().waitFor();
        await page.waitForLoadState('networkidle');
        const cls = await page.evaluate(() => window.__cls);
        assert.ok(cls < 0.1, `Today's layout shifts by ${cls} as it loads`);
        await page.screenshot({ path: join(out, `phone-today-${lang}.png`), fullPage: true });
        const todayHeight = await page.evaluate(() => document.documentElement.scrollHeight);

        // The client page opens on the short header and the quick visit log.
        await tabbar.getByRole('link', { name: w.caseload }).click();
        await page.locator('.client-link').first().click();
        await page.getByTestId('client-name').waitFor();
        await page.waitForLoadState('networkidle');
        assert.equal(await tabbar.getByRole('link', { name: w.caseload }).getAttribute('aria-current'), 'page');
        const tel = page.getByTestId('client-phone');
        if (await tel.count()) assert.match(await tel.getAttribute('href'), /^tel:\+?[0-9]+$/);
        await page.getByTestId('consent-badges').waitFor();
        const save = await page.locator('form.visit-form button[type=submit]').boundingBox();
        assert.ok(save.y < 740 - tb.height, `Save starts at y=${save.y}, under the tab bar or below the fold`);
        await page.screenshot({ path: join(out, `phone-client-${lang}.png`) });
        await noHorizontalScroll(page, `client ${lang}`);
        await axe(page, `client page ${lang}`);
        const clientHeight = await page.evaluate(() => document.documentElement.scrollHeight);

        // Save is never under the tab bar: scrolled into view (aligned to the
        // bottom, where the bar is) or reached by the keyboard.
        const saveButton = page.locator('form.visit-form button[type=submit]');
        const clear = async (how) => {
          const s = await saveButton.boundingBox();
          const bar = await tabbar.boundingBox();
          assert.ok(s.y + s.height <= bar.y, `${lang} ${how}: Save (${s.y}–${s.y + s.height}) is under the tab bar (from ${bar.y})`);
        };
        await saveButton.evaluate((el) => el.scrollIntoView({ block: 'end' }));
        await clear('scrolled into view');
        await page.evaluate(() => window.scrollTo(0, 0));
        await saveButton.focus();
        await clear('focused');
        // The end of the page stops above the bar too.
        await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
        const last = await page.locator('main > *').last().boundingBox();
        assert.ok(last.y + last.height <= (await tabbar.boundingBox()).y + 1, `${lang}: the page's end is under the tab bar`);
        await page.evaluate(() => window.scrollTo(0, 0));
        console.log(`page heights at 360 px (${lang}): Today ${todayHeight} px, client page ${clientHeight} px; visit Save at y=${Math.round(save.y)}; Today's layout shift ${cls.toFixed(3)}`);

        // Sections open and close and remember it (this browser, per section).
        const toggle = page.locator('[data-section=timeline] .section-toggle');
        assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
        // The Timeline opens paged: the newest ten, then "show more".
        const total = Number(await toggle.locator('.count').innerText());
        const shown = await page.locator('#timeline-body ol.timeline > li').count();
        assert.equal(shown, Math.min(total, 10), `${lang}: the timeline shows ${shown} of ${total}`);
        assert.equal(await page.locator('#timeline-body > button').count(), total > 10 ? 1 : 0);
        await toggle.click();
        assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
        assert.ok(await page.locator('#timeline-body').isHidden());
        await page.reload();
        await page.getByTestId('client-name').waitFor();
        assert.equal(await page.locator('[data-section=timeline] .section-toggle').getAttribute('aria-expanded'), 'false');
        assert.equal(await page.evaluate(() => localStorage.getItem('brug.section.timeline')), '0');
        // On a phone the other sections start closed; one opened stays open.
        for (const name of ['referrals', 'appointments', 'barriers', 'consents', 'details']) {
          assert.equal(await page.locator(`[data-section=${name}] .section-toggle`).getAttribute('aria-expanded'), 'false', `${name} starts closed`);
        }
        await page.locator('[data-section=referrals] .section-toggle').click();
        await page.reload();
        await page.getByTestId('client-name').waitFor();
        assert.equal(await page.locator('[data-section=referrals] .section-toggle').getAttribute('aria-expanded'), 'true');
        assert.ok(await page.locator('#referrals-body').isVisible());

        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }
});
