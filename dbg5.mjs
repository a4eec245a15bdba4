import { chromium } from '@playwright/test';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--use-fake-device-for-media-stream','--use-fake-ui-for-media-stream','--no-sandbox','--disable-gpu','--disable-quic','--no-first-run','--disable-background-networking','--disable-component-update','--disable-sync','--allow-loopback-in-peer-connection'] });
const room = 'dbg5' + Date.now();
const pages = [];
for (const name of ['A', 'B', 'C', 'D', 'E']) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  page.on('console', (m) => { if (m.type() !== 'debug') console.log(name, m.type(), m.text().slice(0, 200)); });
  await page.addInitScript(() => localStorage.setItem('confab:test-hook', '1'));
  await page.goto(`http://127.0.0.1:3200/r/${room}`);
  await page.getByLabel('Your name').fill(name);
  pages.push([name, page]);
}
await Promise.all(pages.map(([, page]) => page.getByRole('button', { name: 'Join now' }).click()));
await new Promise((r) => setTimeout(r, 15000));
for (const [name, page] of pages) {
  const r = await page.evaluate(async () => { const h = window.__confab; return { self: h.selfId(), links: h.peerIds().map((id) => [id, h.connectionState(id), h.connectionState(id) === 'connected' ? '' : h.trace(id).join(' | ')]) }; });
  console.log(name, r.self, JSON.stringify(r.links.filter((l) => l[1] !== 'connected')), r.links.length);
}
await browser.close();
