/** Calls through a real coturn (started here on loopback): relay-only, a wrong secret, an outage. */
import { coturnAvailable, startCoturn, type Coturn } from '../server/testing/coturn';
import { startAppServer, type AppServer } from './appServer';
import { expectRelayed, peerEvents } from './call';
import { expect, test } from './fixtures';

const haveCoturn = coturnAvailable();
if (!haveCoturn) console.log('SKIPPED: TURN browser tests need coturn (turnserver): sudo apt-get install coturn');

test.describe('through TURN', () => {
  test.skip(!haveCoturn, 'coturn (turnserver) is not installed');

  let coturn: Coturn;
  let server: AppServer | undefined;

  test.beforeEach(async () => {
    coturn = await startCoturn();
  });

  test.afterEach(async () => {
    await server?.stop();
    server = undefined;
    await coturn.stop();
  });

  const relayOnly = (secret: string): Record<string, string> => ({
    TURN_URLS: `${coturn.url}?transport=udp`,
    TURN_SECRET: secret,
    ICE_TRANSPORT_POLICY: 'relay',
  });

  test('relay-only: the call connects and every selected pair is relay/relay', async ({ call }) => {
    server = await startAppServer(relayOnly(coturn.secret));
    call.useServer(server.baseURL);
    const [alice, bob] = await call.join(['Alice', 'Bob']);
    await alice.expectVideoFrom(bob);
    await bob.expectVideoFrom(alice);
    await bob.expectAudioFrom(alice);
    await expectRelayed(alice, bob);
    await alice.openPanel('Connection stats');
    await expect(alice.page.getByTestId('link-stats').locator('[data-stat="Route"]')).toHaveText('relay ↔ relay');
  });

  test('a wrong TURN secret shows "Cannot connect", not a silent black tile', async ({ call }) => {
    server = await startAppServer(relayOnly('not-the-secret'));
    call.useServer(server.baseURL);
    const [alice, bob] = await call.join(['Alice', 'Bob']);
    for (const [viewer, other] of [
      [alice, bob],
      [bob, alice],
    ] as const) {
      await expect(viewer.tile(other)).toHaveAttribute('data-link', 'failed', { timeout: 60_000 });
      await expect(viewer.tile(other).getByText('Cannot connect')).toBeVisible();
      await expect(viewer.tile(other).getByRole('button', { name: 'Retry' })).toBeVisible();
    }
    await alice.page.screenshot({ path: test.info().outputPath('cannot-connect.png') });
  });

  test('losing the network path long enough for ICE to fail: ICE restarts and video returns without rejoining', async ({ call }) => {
    test.setTimeout(180_000);
    server = await startAppServer(relayOnly(coturn.secret));
    call.useServer(server.baseURL);
    const [alice, bob] = await call.join(['Alice', 'Bob']);
    await alice.expectVideoFrom(bob);
    const ids = [await alice.peerId(), await bob.peerId()];

    coturn.pause();
    await expect(alice.tile(bob)).toHaveAttribute('data-link', 'reconnecting', { timeout: 30_000 });
    await alice.page.waitForTimeout(8000);
    coturn.resume();

    await expect(alice.tile(bob)).toHaveAttribute('data-link', 'connected', { timeout: 60_000 });
    await alice.expectVideoFrom(bob);
    await bob.expectVideoFrom(alice);
    expect([await alice.peerId(), await bob.peerId()]).toEqual(ids);
    expect(await peerEvents(alice)).toEqual([`joined:${ids[1]}`]);
    const trace = await alice.page.evaluate((id) => window.__confab!.trace(id), ids[1]!);
    expect(trace.join('\n')).toMatch(/send offer|recv offer/);
  });
});
