import { expect, test, type Browser, type Page } from '@playwright/test';

async function participant(browser: Browser, roomId: string, name: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(() => localStorage.setItem('confab:test-hook', '1'));
  await page.goto(`/r/${roomId}`);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Join now' }).click();
  await expect(page.getByRole('navigation', { name: 'Call controls' })).toBeVisible();
  return page;
}

async function framesDecodedFrom(page: Page, peerId: string): Promise<number> {
  return page.evaluate(async (id) => {
    const entries = (await window.__confab?.stats(id)) ?? [];
    return entries.filter((e) => e.type === 'inbound-rtp' && e.kind === 'video').reduce((sum, e) => sum + (Number(e.framesDecoded) || 0), 0);
  }, peerId);
}

async function expectVideoPlaying(page: Page, remoteName: string): Promise<void> {
  const tile = page.locator(`[data-testid="video-tile"][data-kind="camera"][aria-label="${remoteName}"]`);
  await expect(tile).toHaveAttribute('data-link', 'connected', { timeout: 20_000 });
  const peerId = (await tile.getAttribute('data-tile-id'))!;
  const first = await framesDecodedFrom(page, peerId);
  await expect.poll(() => framesDecodedFrom(page, peerId), { timeout: 10_000 }).toBeGreaterThan(first);
  await expect.poll(() => tile.locator('video').evaluate((video: HTMLVideoElement) => video.videoWidth)).toBeGreaterThan(0);
}

test('two participants join through the UI and see each other', async ({ browser }) => {
  const roomId = `smoke-${Date.now()}`;
  const alice = await participant(browser, roomId, 'Alice');
  const bob = await participant(browser, roomId, 'Bob');
  await expectVideoPlaying(alice, 'Bob');
  await expectVideoPlaying(bob, 'Alice');
  await alice.screenshot({ path: test.info().outputPath('two-party.png') });
  for (const page of [alice, bob]) await page.context().close();
});
