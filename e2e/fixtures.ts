/**
 * Test fixtures: `call` gives each test a fresh room and joins participants into it;
 * everything it opened is closed after the test.
 *
 *   test('three people', async ({ call }) => {
 *     const [alice, bob, carol] = await call.join(['Alice', 'Bob', 'Carol']);
 *     await alice.expectVideoFrom(bob);
 *   });
 */
import { chromium, test as base, type Browser } from '@playwright/test';
import { TEST_CHROMIUM_ARGS, findChromium } from './browsers';
import { Participant, type JoinOptions } from './call';
import { launchFirefox } from './firefox';

export type Engine = 'chromium' | 'firefox';

/** The browsers of one worker, by engine: the project's own, and others launched on first use. */
export class Engines {
  readonly #browsers = new Map<Engine, Promise<Browser>>();
  readonly #launched: Promise<Browser>[] = [];

  adopt(engine: Engine, browser: Browser): void {
    if (!this.#browsers.has(engine)) this.#browsers.set(engine, Promise.resolve(browser));
  }

  get(engine: Engine): Promise<Browser> {
    let browser = this.#browsers.get(engine);
    if (!browser) {
      browser = engine === 'firefox' ? launchFirefox() : chromium.launch({ executablePath: findChromium(), args: TEST_CHROMIUM_ARGS });
      this.#browsers.set(engine, browser);
      this.#launched.push(browser);
    }
    return browser;
  }

  async close(): Promise<void> {
    await Promise.all(this.#launched.map(async (browser) => (await browser).close()));
  }
}

const NAMES = ['Alice', 'Bob', 'Carol', 'Dan', 'Erin', 'Frank', 'Grace', 'Heidi'];

export class Call {
  readonly roomId: string;
  readonly #engines: Engines;
  readonly #defaultEngine: Engine;
  readonly #participants: Participant[] = [];
  #baseURL: string | undefined;

  constructor(engines: Engines, defaultEngine: Engine, roomId: string) {
    this.#engines = engines;
    this.#defaultEngine = defaultEngine;
    this.roomId = roomId;
  }

  /** One participant per engine named, joined in order (Alice, Bob, …): `participants(['chromium', 'firefox'])`. */
  async participants<const E extends readonly Engine[]>(engines: E, options: JoinOptions = {}): Promise<{ [K in keyof E]: Participant }> {
    const joined: Participant[] = [];
    for (const [index, engine] of engines.entries()) joined.push(await this.join(NAMES[index] ?? `Guest ${index + 1}`, { ...options, engine }));
    return joined as { [K in keyof E]: Participant };
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
    const browser = await this.#engines.get(options.engine ?? this.#defaultEngine);
    const participant = await Participant.open(browser, this.roomId, name, { baseURL: this.#baseURL, ...options });
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
  async expectFullMesh(participants: readonly Participant[] = this.#participants, options: { rendered?: boolean } = {}): Promise<void> {
    await Promise.all(
      participants.map(async (viewer) => {
        for (const other of participants) if (other !== viewer) await viewer.expectVideoFrom(other, 'camera', options);
      }),
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.#participants.map((participant) => participant.close()));
  }
}

export const test = base.extend<{ call: Call }, { engines: Engines }>({
  engines: [
    async ({}, use) => {
      const engines = new Engines();
      await use(engines);
      await engines.close();
    },
    { scope: 'worker' },
  ],
  call: async ({ browser, browserName, engines }, use, testInfo) => {
    const engine: Engine = browserName === 'firefox' ? 'firefox' : 'chromium';
    engines.adopt(engine, browser);
    const slug = testInfo.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 30).replace(/^-|-$/g, '');
    const call = new Call(engines, engine, `${slug || 'test'}-${testInfo.workerIndex}-${Date.now().toString(36)}`);
    await use(call);
    await call.close();
  },
});

export { expect } from '@playwright/test';
export { Participant } from './call';
