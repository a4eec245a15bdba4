'use client';

/** "Your name", as the others will see it: the lobby and the pre-join screen edit the same stored name. */
import { DEFAULT_LIMITS } from '@/lib/signaling/constants';
import { mediaActions, useMedia } from '@/lib/stores';
import { TextField } from '../ui/TextField';

export function DisplayNameField({ invalid }: { invalid?: boolean }) {
  const name = useMedia((state) => state.displayName);
  return (
    <TextField
      label="Your name"
      value={name}
      onChange={(event) => mediaActions.set({ displayName: event.target.value })}
      maxLength={DEFAULT_LIMITS.maxDisplayNameLength}
      autoComplete="nickname"
      placeholder="How others will see you"
      aria-invalid={invalid}
    />
  );
}
