/** Chat, presence, mute and camera-off, screen share: what the others see. */
import { expect, test } from './fixtures';

test('chat among three: a late joiner sees the history, a private message reaches only its target', async ({ call }) => {
  const [alice, bob, carol] = await call.join(['Alice', 'Bob', 'Carol']);
  await alice.chat('Hello everyone');
  await bob.chat('Hi Alice!');
  await alice.chat('Bob, a word in private?', bob);
  for (const reader of [alice, bob, carol]) {
    await reader.openPanel('Chat');
    await expect(reader.chatMessages().filter({ hasText: 'Hello everyone' })).toHaveCount(1);
    await expect(reader.chatMessages().filter({ hasText: 'Hi Alice!' })).toHaveCount(1);
  }
  await expect(bob.chatMessages().filter({ hasText: 'a word in private' })).toContainText('privately');
  await expect(alice.chatMessages().filter({ hasText: 'a word in private' })).toHaveCount(1);
  await expect(carol.chatMessages().filter({ hasText: 'a word in private' })).toHaveCount(0);

  const dan = await call.join('Dan');
  await dan.openPanel('Chat');
  await expect(dan.chatMessages()).toHaveText([/Hello everyone/, /Hi Alice!/]);
  await alice.page.screenshot({ path: test.info().outputPath('chat.png') });
});

test('unread messages are counted while the chat is closed', async ({ call }) => {
  const [alice, bob] = await call.join(['Alice', 'Bob']);
  await alice.chat('one');
  await alice.chat('two');
  await expect(bob.page.getByRole('button', { name: 'Chat (2 unread)' })).toBeVisible();
  await bob.openPanel('Chat');
  await expect(bob.page.getByRole('button', { name: 'Chat', exact: true })).toBeVisible();
});

test('presence, mute and camera-off are visible to the others', async ({ call }) => {
  const [alice, bob] = await call.join(['Alice', 'Bob']);
  await bob.expectVideoFrom(alice);

  await alice.toggleMicrophone();
  await expect(bob.tile(alice).getByText('Microphone off')).toBeAttached();
  await alice.toggleCamera();
  await expect(bob.tile(alice).locator('video')).toHaveCount(0);
  await expect(bob.tile(alice).getByText('Camera off')).toBeAttached();
  await alice.setPresence('Busy', 'in a meeting');
  await expect(bob.tile(alice)).toContainText('Busy');
  await bob.openPanel('Participants');
  const row = bob.page.getByTestId('participant').filter({ hasText: 'Alice' });
  await expect(row.getByTestId('presence')).toHaveText('Busy · in a meeting');
  await expect(row.getByRole('img', { name: 'Microphone off' })).toBeVisible();
  await expect(row.getByRole('img', { name: 'Camera off' })).toBeVisible();
  await bob.page.screenshot({ path: test.info().outputPath('muted-busy.png') });

  // And back: video plays again, the indicators go away.
  await alice.toggleCamera();
  await alice.toggleMicrophone();
  await bob.expectVideoFrom(alice);
  await expect(bob.tile(alice).getByText('Microphone off')).toHaveCount(0);
  await bob.expectAudioFrom(alice);
});

test('a camera that opens while the join is under way is seen by the others', async ({ call }) => {
  // A real camera can take a second to open. Alice clicks Join before hers has, and it opens
  // while her join request, which says her camera is off, is still waiting for its answer.
  let joinId: unknown;
  let joinSent!: () => void;
  const sent = new Promise<void>((resolve) => (joinSent = resolve));
  let answerJoin!: () => void;
  const answered = new Promise<void>((resolve) => (answerJoin = resolve));
  const alice = await call.open('Alice', {
    prepare: async (page) => {
      // getUserMedia waits until the test opens the camera.
      await page.addInitScript(() => {
        const devices = navigator.mediaDevices;
        const open = devices.getUserMedia.bind(devices);
        const opened = new Promise<void>((resolve) => ((window as unknown as { openCamera: () => void }).openCamera = resolve));
        devices.getUserMedia = async (constraints) => {
          await opened;
          return open(constraints);
        };
      });
      // The server's answer to the join waits until the test lets it through, in order.
      await page.routeWebSocket(/\/protoo\b/, (socket) => {
        const server = socket.connectToServer();
        socket.onMessage((message) => {
          const request = JSON.parse(String(message)) as { request?: boolean; method?: string; id?: unknown };
          if (request.request && request.method === 'join') {
            joinId = request.id;
            joinSent();
          }
          server.send(message);
        });
        let delivered = Promise.resolve();
        server.onMessage((message) => {
          delivered = delivered.then(async () => {
            const response = JSON.parse(String(message)) as { response?: boolean; id?: unknown };
            if (response.response && response.id === joinId) await answered;
            socket.send(message);
          });
        });
      });
    },
  });
  await alice.page.getByRole('button', { name: 'Join now' }).click();
  await sent;
  await alice.page.evaluate(() => (window as unknown as { openCamera: () => void }).openCamera());
  await expect
    .poll(() => alice.page.evaluate(() => [...document.querySelectorAll('video')].some((video) => ((video.srcObject as MediaStream | null)?.getVideoTracks().length ?? 0) > 0)))
    .toBe(true);
  answerJoin();
  await alice.expectInCall();

  const bob = await call.join('Bob');
  await bob.expectVideoFrom(alice);
  await expect(bob.tile(alice).getByText('Camera off')).toHaveCount(0);
  await expect(bob.tile(alice).getByText('Microphone off')).toHaveCount(0);
});

test('a screen share is seen by the others and stops cleanly', async ({ call }) => {
  const [alice, bob, carol] = await call.join(['Alice', 'Bob', 'Carol']);
  await bob.expectVideoFrom(alice);
  await bob.expectVideoFrom(carol);
  // Switching layout must keep Bob's camera <video>s, not remount them: a new element is
  // blank until it presents its next frame. Mark them now and count the marked ones after.
  const marked = await bob.page.getByTestId('video-grid').locator('video').evaluateAll((videos) => {
    for (const video of videos) video.setAttribute('data-kept', '');
    return videos.length;
  });
  expect(marked).toBe(3);
  const kept = bob.page.locator('video[data-kept]');

  await alice.toggleScreenShare();
  await bob.expectVideoFrom(alice, 'screen');
  await carol.expectVideoFrom(alice, 'screen');
  // The screen takes the stage.
  await expect(bob.page.getByTestId('video-grid')).toHaveAttribute('data-layout', 'spotlight');
  await expect(kept).toHaveCount(3);
  // On the stage: the grid's full height, most of its width (the strip is a column beside it).
  const grid = (await bob.page.getByTestId('video-grid').boundingBox())!;
  const stage = (await bob.tile(alice, 'screen').boundingBox())!;
  expect(stage.height).toBeGreaterThan(grid.height * 0.95);
  expect(stage.width).toBeGreaterThan(grid.width * 0.7);
  await bob.page.screenshot({ path: test.info().outputPath('screen-share.png') });

  // The stage comes first for the keyboard and screen readers, as it does on screen.
  const tileOrder = () => bob.page.getByTestId('video-tile').evaluateAll((tiles) => tiles.map((tile) => tile.getAttribute('data-tile-id')));
  expect((await tileOrder())[0]).toBe(await bob.tile(alice, 'screen').getAttribute('data-tile-id'));

  await alice.toggleScreenShare();
  for (const viewer of [bob, carol]) {
    await expect(viewer.tile(alice, 'screen')).toHaveCount(0);
    await expect(viewer.page.getByTestId('video-grid')).toHaveAttribute('data-layout', 'grid');
    await viewer.expectVideoFrom(alice);
  }
  await expect(kept).toHaveCount(3);

  // Pinning a camera moves its tile to the front (the same <video>), and it keeps playing.
  const carolTile = await bob.peerIdOf(carol);
  await bob.tile(carol).hover();
  await bob.tile(carol).getByRole('button', { name: /^Pin/ }).click();
  await expect(bob.page.getByTestId('video-grid')).toHaveAttribute('data-layout', 'spotlight');
  await bob.page.screenshot({ path: test.info().outputPath('pinned.png') });
  expect((await tileOrder())[0]).toBe(carolTile);
  await expect(kept).toHaveCount(3);
  await bob.expectVideoFrom(carol);
});
