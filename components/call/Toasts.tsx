'use client';

/** Toasts: short notices (joins, leaves, copied links) that fade after a few seconds. */
import { useEffect } from 'react';
import { uiActions, useUi, type Toast } from '@/lib/stores';

function ToastItem({ toast }: { toast: Toast }) {
  useEffect(() => {
    const timer = setTimeout(() => uiActions.dismiss(toast.id), 4000);
    return () => clearTimeout(timer);
  }, [toast.id]);
  return (
    <li className={`rounded-lg px-4 py-2 text-sm shadow-lg ${toast.tone === 'warn' ? 'bg-amber-500 text-zinc-950' : 'bg-zinc-800 text-zinc-100'}`}>{toast.text}</li>
  );
}

export function Toasts() {
  const toasts = useUi((state) => state.toasts);
  return (
    <ol aria-live="polite" className="pointer-events-none fixed top-4 left-1/2 z-30 flex -translate-x-1/2 flex-col items-center gap-2">
      {toasts.map((toast) => (
        <ToastItem key={toast.id} toast={toast} />
      ))}
    </ol>
  );
}
