/** Calls with real media: every check reads decoded frames and audio energy from getStats(). */
import { expect, test } from './fixtures';

test('two parties see and hear each other', async ({ call }) => {
  const [alice, bob] = await call.join(['Alice', 'Bob']);
  await alice.expectVideoFrom(bob);
  await bob.expectVideoFrom(alice);
  await alice.expectAudioFrom(bob);
  await bob.expectAudioFrom(alice);
  // Alice, in the room first, offers once, at once (not from negotiationneeded), and Bob answers once.
  expect((await alice.linkEvents(bob, /^(offer at once|negotiationneeded|send offer)$/)).slice(0, 2)).toEqual(['offer at once', 'send offer']);
  expect((await alice.negotiation(bob)).slice(0, 2)).toEqual(['send offer', 'recv answer']);
  expect((await bob.negotiation(alice)).slice(0, 2)).toEqual(['recv offer', 'send answer']);
  await alice.page.screenshot({ path: test.info().outputPath('call-2.png') });
});

test('four-party mesh: all 12 directed video streams decode', async ({ call }) => {
  test.setTimeout(180_000);
  const people = await call.join(['Alice', 'Bob', 'Carol', 'Dan']);
  await call.expectFullMesh(people);
  for (const person of people) await expect(person.page.getByTestId('video-tile')).toHaveCount(4);
});

test('glare: two join at the same instant, then two share their screens at the same instant', async ({ call }) => {
  test.setTimeout(180_000);
  const alice = await call.join('Alice');
  // Bob and Carol click Join in the same moment.
  const [bob, carol] = await call.joinTogether(['Bob', 'Carol']);
  await call.expectFullMesh([alice, bob, carol]);
  await Promise.all([alice.toggleScreenShare(), bob.toggleScreenShare()]);
  for (const viewer of [alice, bob, carol]) {
    for (const sharer of [alice, bob]) if (viewer !== sharer) await viewer.expectVideoFrom(sharer, 'screen');
  }
  // Every camera still flows on the renegotiated links. Decoding, not presenting: with two
  // 1080p screens encoded per link on this 2-core machine, Chromium has been seen to stop
  // presenting the impolite sharer's camera on the polite sharer's page for a while (frames
  // decode at a few per second; docs/testing.md, "Known limits"). Presenting is checked
  // above for the screens and before the shares for the cameras.
  await call.expectFullMesh([alice, bob, carol], { rendered: false });
  for (const person of [alice, bob, carol]) await expect(person.page.locator('[data-testid="video-tile"][data-link="failed"]')).toHaveCount(0);
});
