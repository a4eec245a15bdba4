/**
 * RoomRegistry: rooms by id. A room is created on first join and forgotten when its
 * last participant is gone. Creation is synchronous (no await between the lookup and
 * the insert), so simultaneous first joins can never create two rooms with one id.
 */
import type { RoomSummary } from '../../lib/signaling/protocol';
import { Room } from './Room';

export class RoomRegistry {
  readonly #rooms = new Map<string, Room>();
  readonly #maxRooms: number;
  readonly #historySize: number;
  readonly #onChange: () => void;

  constructor(options: { maxRooms: number; historySize: number; onChange?: () => void }) {
    this.#maxRooms = options.maxRooms;
    this.#historySize = options.historySize;
    this.#onChange = options.onChange ?? (() => {});
  }

  get roomCount(): number {
    return this.#rooms.size;
  }

  get peerCount(): number {
    let count = 0;
    for (const room of this.#rooms.values()) count += room.size;
    return count;
  }

  get(id: string): Room | undefined {
    return this.#rooms.get(id);
  }

  /** The room with this id, created if needed; undefined when the room limit is reached. */
  getOrCreate(id: string): Room | undefined {
    let room = this.#rooms.get(id);
    if (room) return room;
    if (this.#rooms.size >= this.#maxRooms) return undefined;
    room = new Room(id, this.#historySize);
    this.#rooms.set(id, room);
    return room;
  }

  /** Forgets the room if it is empty. */
  release(room: Room): void {
    if (room.size === 0 && this.#rooms.get(room.id) === room) this.#rooms.delete(room.id);
  }

  /** Participant counts changed somewhere (for room list subscribers). */
  changed(): void {
    this.#onChange();
  }

  list(): RoomSummary[] {
    const rooms: RoomSummary[] = [];
    for (const room of this.#rooms.values()) rooms.push(room.summary());
    return rooms.sort((a, b) => b.peerCount - a.peerCount || a.id.localeCompare(b.id));
  }

  clear(): void {
    for (const room of this.#rooms.values()) for (const participant of room.participants()) participant.clearGraceTimer();
    this.#rooms.clear();
  }
}
