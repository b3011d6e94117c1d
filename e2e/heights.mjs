// Prints the page heights at 360 px of Today and the first client of the
// caseload (a figure, not a gate): BRUG_BIN=... node heights.mjs
import { startServer, launch, phonePage, signIn } from './harness.mjs';

const server = await startServer();
const browser = await launch();
try {
  for (const lang of ['nl', 'fr', 'de', 'en']) {
    const { context, page } = await phonePage(browser);
    await page.goto(server.base + '/login');
    await page.getByLabel('Taal').selectOption(lang);
    await signIn(page, 'chw.gent1@example.org');
    await page.getByTestId('user-name').waitFor({ state: 'attached' });
    await page.locator('main h1').waitFor();
    await page.locator('main section').first().waitFor();
    await page.waitForLoadState('networkidle');
    const today = await page.evaluate(() => document.documentElement.scrollHeight);
    // Today loaded afresh: the layout shift it makes as it loads.
    await page.addInitScript(() => {
      window.__cls = 0;
      new PerformanceObserver((l) => { for (const e of l.getEntries()) if (!e.hadRecentInput) window.__cls += e.value; })
        .observe({ type: 'layout-shift', buffered: true });
    });
    await page.goto(server.base + '/today');
    await page.locator('main section').first().waitFor();
    await page.waitForLoadState('networkidle');
    const cls = await page.evaluate(() => window.__cls);
    await page.goto(server.base + '/caseload');
    await page.locator('.client-link').first().click();
    await page.getByTestId('client-name').waitFor();
    await page.waitForLoadState('networkidle');
    const client = await page.evaluate(() => document.documentElement.scrollHeight);
    const save = await page.locator('form.visit-form button[type=submit], form button.primary').first().boundingBox();
    const header = await page.locator('header').first().boundingBox();
    console.log(`${lang}: header ${Math.round(header?.height ?? 0)} px, Today ${today} px (layout shift ${cls.toFixed(3)}), client page ${client} px, visit Save at y=${Math.round(save?.y ?? -1)}`);
    await context.close();
  }
} finally {
  await browser.close();
  await server.stop();
}
