/**
 * Test fixtures: `call` gives each test a fresh room and joins participants into it;
 * everything it opened is closed after the test.
 *
 *   test('three people', async ({ call }) => {
 *     const [alice, bob, carol] = await call.join(['Alice', 'Bob', 'Carol']);
 *     await alice.expectVideoFrom(bob);
 *   });
 */
import { test as base, type Browser } from '@playwright/test';
import { Participant, type JoinOptions } from './call';

export class Call {
  readonly roomId: string;
  readonly #browser: Browser;
  readonly #participants: Participant[] = [];
  #baseURL: string | undefined;

  constructor(browser: Browser, roomId: string) {
    this.#browser = browser;
    this.roomId = roomId;
  }

  /** Joins later participants through another server (see appServer.ts). */
  useServer(baseURL: string): void {
    this.#baseURL = baseURL;
  }

  /** Joins one participant, or several in order. */
  async join(name: string, options?: JoinOptions): Promise<Participant>;
  async join<const Names extends readonly string[]>(names: Names, options?: JoinOptions): Promise<{ [K in keyof Names]: Participant }>;
  async join(nameOrNames: string | readonly string[], options: JoinOptions = {}): Promise<Participant | Participant[]> {
    if (typeof nameOrNames !== 'string') {
      const joined: Participant[] = [];
      for (const name of nameOrNames) joined.push(await this.join(name, options));
      return joined;
    }
    const participant = await this.open(nameOrNames, options);
    await participant.clickJoin();
    return participant;
  }

  /** Opens the room for a participant and stops at the pre-join screen. */
  async open(name: string, options: JoinOptions = {}): Promise<Participant> {
    const participant = await Participant.open(this.#browser, this.roomId, name, { baseURL: this.#baseURL, ...options });
    this.#participants.push(participant);
    return participant;
  }

  /** Several participants click Join at the same instant. */
  async joinTogether<const Names extends readonly string[]>(names: Names, options: JoinOptions = {}): Promise<{ [K in keyof Names]: Participant }> {
    const participants: Participant[] = [];
    for (const name of names) participants.push(await this.open(name, options));
    await Promise.all(participants.map((participant) => participant.clickJoin()));
    return participants as { [K in keyof Names]: Participant };
  }

  /** Every participant sees every other one (all directed streams, checked concurrently per viewer). */
  async expectFullMesh(participants: readonly Participant[] = this.#participants): Promise<void> {
    await Promise.all(
      participants.map(async (viewer) => {
        for (const other of participants) if (other !== viewer) await viewer.expectVideoFrom(other);
      }),
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.#participants.map((participant) => participant.close()));
  }
}

export const test = base.extend<{ call: Call }>({
  call: async ({ browser }, use, testInfo) => {
    const slug = testInfo.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 30).replace(/^-|-$/g, '');
    const call = new Call(browser, `${slug || 'test'}-${testInfo.workerIndex}-${Date.now().toString(36)}`);
    await use(call);
    await call.close();
  },
});

export { expect } from '@playwright/test';
export { Participant } from './call';
