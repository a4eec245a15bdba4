/** Buttons: a text Button and a round, labelled IconButton for the call controls. */
import type { ButtonHTMLAttributes, ComponentProps, ReactNode } from 'react';

type Tone = 'primary' | 'neutral' | 'danger' | 'ghost';

const TONES: Record<Tone, string> = {
  primary: 'bg-emerald-500 text-zinc-950 hover:bg-emerald-400 disabled:bg-emerald-900 disabled:text-zinc-400',
  neutral: 'bg-zinc-800 text-zinc-100 hover:bg-zinc-700 disabled:text-zinc-500',
  danger: 'bg-red-600 text-white hover:bg-red-500',
  ghost: 'bg-transparent text-zinc-300 hover:bg-zinc-800',
};

const FOCUS = 'focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-emerald-400';

export function Button({ tone = 'neutral', className = '', ...props }: ButtonHTMLAttributes<HTMLButtonElement> & { tone?: Tone }) {
  return (
    <button
      type="button"
      className={`inline-flex items-center justify-center gap-2 rounded-lg px-4 py-2.5 text-sm font-medium transition-colors disabled:cursor-not-allowed ${FOCUS} ${TONES[tone]} ${className}`}
      {...props}
    />
  );
}

export function IconButton({
  label,
  active = false,
  tone,
  badge,
  children,
  className = '',
  ...props
}: ComponentProps<'button'> & { label: string; active?: boolean; tone?: Tone; badge?: number; children: ReactNode }) {
  const toneClass = tone ? TONES[tone] : active ? 'bg-zinc-100 text-zinc-900 hover:bg-white' : TONES.neutral;
  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      className={`relative inline-flex size-12 shrink-0 items-center justify-center rounded-full transition-colors ${FOCUS} ${toneClass} ${className}`}
      {...props}
    >
      {children}
      {badge ? (
        <span className="absolute -top-1 -right-1 min-w-5 rounded-full bg-emerald-500 px-1 text-center text-xs font-semibold text-zinc-950" aria-hidden="true">
          {badge > 99 ? '99+' : badge}
        </span>
      ) : null}
    </button>
  );
}
