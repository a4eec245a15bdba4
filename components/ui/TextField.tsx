/**
 * Form fields: a labelled one-line TextField with its inline error, and the FieldError
 * line on its own (for errors that belong to a whole form). The error is announced
 * (role="alert") and tied to the input (aria-invalid, aria-describedby).
 */
import { useId, type InputHTMLAttributes, type ReactNode } from 'react';

type Density = 'regular' | 'compact';

/** A visible field label, for this file's fields and for selects beside them. */
export const FIELD_LABEL = 'text-sm text-zinc-400';

const INPUT: Record<Density, string> = {
  regular: 'rounded-lg px-3 py-2.5',
  compact: 'rounded-md px-2 py-1.5 text-sm',
};

const ERROR: Record<Density, string> = {
  regular: 'text-sm',
  compact: 'text-xs',
};

export function FieldError({ id, density = 'regular', children }: { id?: string; density?: Density; children: ReactNode }) {
  return (
    <p id={id} role="alert" className={`text-red-400 ${ERROR[density]}`}>
      {children}
    </p>
  );
}

type TextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'size'> & {
  label: string;
  /** Keeps the label for screen readers only (the placeholder says it on screen). */
  hideLabel?: boolean;
  error?: string | null;
  density?: Density;
  /** Shown on the input's right, on the same row (a submit button). */
  trailing?: ReactNode;
};

export function TextField({ label, hideLabel = false, error, density = 'regular', trailing, className = '', ...input }: TextFieldProps) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <div className={`flex flex-col gap-1.5 ${className}`}>
      <label htmlFor={id} className={hideLabel ? 'sr-only' : FIELD_LABEL}>
        {label}
      </label>
      <div className="flex gap-2">
        <input
          id={id}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          className={`min-w-0 flex-1 border border-zinc-700 bg-zinc-950 outline-none placeholder:text-zinc-600 focus:border-emerald-400 ${INPUT[density]}`}
          {...input}
        />
        {trailing}
      </div>
      {error ? (
        <FieldError id={errorId} density={density}>
          {error}
        </FieldError>
      ) : null}
    </div>
  );
}
