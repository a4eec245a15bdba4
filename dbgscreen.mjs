import { chromium } from '@playwright/test';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--use-fake-device-for-media-stream','--use-fake-ui-for-media-stream','--no-sandbox','--disable-gpu','--disable-quic','--no-first-run','--disable-background-networking','--disable-component-update','--disable-sync','--allow-loopback-in-peer-connection', '--auto-select-desktop-capture-source=Entire screen'] });
const room = 'dbgs' + Date.now();
const pages = [];
for (const name of ['A', 'B']) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console.log(name, m.type(), m.text().slice(0, 200)); });
  await page.addInitScript(() => localStorage.setItem('confab:test-hook', '1'));
  await page.goto(`http://127.0.0.1:3200/r/${room}`);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Join now' }).click();
  await page.getByRole('navigation', { name: 'Call controls' }).waitFor();
  pages.push(page);
}
await new Promise((r) => setTimeout(r, 3000));
await pages[0].getByRole('button', { name: 'Share your screen' }).click();
await new Promise((r) => setTimeout(r, 4000));
const r = await pages[1].evaluate(async () => { const h = window.__confab; const id = h.peerIds()[0]; const st = await h.stats(id); return st.filter(e => e.type === 'inbound-rtp' && e.kind === 'video').map(e => [e.trackIdentifier, e.framesDecoded, e.frameWidth, e.frameHeight]); });
console.log(JSON.stringify(r));
console.log(await pages[1].locator('[data-kind=screen] video').evaluate((v) => [v.videoWidth, v.videoHeight, v.readyState]).catch((e) => 'no screen tile ' + e.message.slice(0, 80)));
await pages[1].screenshot({ path: '/tmp/s-screen-b.png' });
await browser.close();
