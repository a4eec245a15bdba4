/** roomNames: readable random room ids such as `calm-otter-42`. */

const ADJECTIVES = [
  'amber', 'brave', 'bright', 'calm', 'clever', 'cosy', 'crisp', 'eager', 'fancy', 'gentle',
  'glad', 'golden', 'happy', 'jolly', 'kind', 'lively', 'lucky', 'merry', 'mighty', 'misty',
  'noble', 'proud', 'quick', 'quiet', 'rapid', 'rosy', 'shiny', 'silver', 'sunny', 'swift',
  'tidy', 'vivid', 'warm', 'wise', 'witty', 'zesty',
];
const ANIMALS = [
  'badger', 'bear', 'beaver', 'bison', 'crane', 'deer', 'dolphin', 'eagle', 'falcon', 'ferret',
  'finch', 'fox', 'gecko', 'heron', 'ibex', 'koala', 'lemur', 'lynx', 'marten', 'moose',
  'newt', 'otter', 'owl', 'panda', 'puffin', 'quail', 'raven', 'robin', 'seal', 'stoat',
  'swan', 'tapir', 'tiger', 'walrus', 'wombat', 'yak',
];

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)]!;
}

export function randomRoomName(random: () => number = Math.random): string {
  return `${pick(ADJECTIVES, random)}-${pick(ANIMALS, random)}-${10 + Math.floor(random() * 90)}`;
}

/**
 * The room id in what the user typed: a bare id, or an invite link such as
 * https://host/r/calm-otter-42. Returns undefined when there is none.
 */
export function roomIdFromInput(input: string, isValidId: (id: string) => boolean): string | undefined {
  const text = input.trim();
  if (isValidId(text)) return text;
  const match = /\/r\/([^/?#\s]+)/.exec(text);
  if (!match) return undefined;
  let id: string;
  try {
    id = decodeURIComponent(match[1]!);
  } catch {
    return undefined;
  }
  return isValidId(id) ? id : undefined;
}
