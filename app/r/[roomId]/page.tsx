import type { Metadata } from 'next';
import Link from 'next/link';
import { RoomPage } from '@/components/room/RoomPage';
import { isValidId } from '@/lib/signaling/constants';

interface Props {
  params: Promise<{ roomId: string }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { roomId } = await params;
  return { title: isValidId(roomId) ? `${roomId} · Confab` : 'Room not found · Confab' };
}

export default async function RoomRoute({ params }: Props) {
  const { roomId } = await params;
  if (!isValidId(roomId)) {
    return (
      <main className="flex min-h-dvh items-center justify-center p-6">
        <section className="flex max-w-md flex-col items-center gap-4 rounded-2xl border border-zinc-800 bg-zinc-900 p-8 text-center">
          <h1 className="text-2xl font-semibold">That is not a room name</h1>
          <p className="text-zinc-400">Room names are 1 to 64 letters, digits, dashes or underscores, like calm-otter-42. Check the link you were given.</p>
          <Link href="/" className="rounded-lg bg-emerald-500 px-4 py-2.5 text-sm font-medium text-zinc-950 hover:bg-emerald-400">
            Go to the lobby
          </Link>
        </section>
      </main>
    );
  }
  return <RoomPage roomId={roomId} />;
}
