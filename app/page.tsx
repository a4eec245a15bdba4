import { PipeStatus } from '@/components/PipeStatus';

export default function HomePage() {
  return (
    <main className="mx-auto flex min-h-dvh max-w-md flex-col items-center justify-center gap-6 p-6">
      <h1 className="text-3xl font-semibold tracking-tight">Confab</h1>
      <PipeStatus />
    </main>
  );
}
