import { Lobby } from '@/components/lobby/Lobby';

export default function HomePage() {
  return <Lobby />;
}
