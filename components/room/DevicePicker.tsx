'use client';

/** DevicePickers: camera, microphone and (where the browser allows) speaker choice. */
import { useId, useState } from 'react';
import { chooseSpeaker } from '@/lib/call/LocalMedia';
import { useMedia, type DeviceKind } from '@/lib/stores';
import { FIELD_LABEL } from '../ui/TextField';

const PICKERS: { kind: DeviceKind; label: string }[] = [
  { kind: 'videoinput', label: 'Camera' },
  { kind: 'audioinput', label: 'Microphone' },
  { kind: 'audiooutput', label: 'Speaker' },
];

/** The speaker list's last option: ask the browser for another speaker (Firefox). */
const CHOOSE_SPEAKER = 'confab:choose-speaker';

function DevicePicker({ kind, label, onSelect }: { kind: DeviceKind; label: string; onSelect: (kind: DeviceKind, deviceId: string) => void }) {
  const id = useId();
  const devices = useMedia((state) => state.devices[kind]);
  const selected = useMedia((state) => state.selected[kind]);
  const ready = useMedia((state) => state.devicesReady);
  const canChoose = useMedia((state) => kind === 'audiooutput' && state.canChooseSpeaker);
  const [note, setNote] = useState<string | null>(null);
  // Speakers: without a listed 'default' (Firefox lists none until the user chooses one),
  // the system default is an option of its own.
  const systemDefault = kind === 'audiooutput' && !devices.some((device) => device.deviceId === 'default');
  const empty = devices.length === 0 && !systemDefault;

  const change = (value: string): void => {
    setNote(null);
    if (value !== CHOOSE_SPEAKER) return onSelect(kind, value);
    void chooseSpeaker().then(setNote);
  };

  return (
    <div className="flex flex-col gap-1.5">
      <label htmlFor={id} className={FIELD_LABEL}>
        {label}
      </label>
      <select
        id={id}
        value={selected ?? ''}
        disabled={empty}
        aria-describedby={note ? `${id}-note` : undefined}
        onChange={(event) => change(event.target.value)}
        className="truncate rounded-lg border border-zinc-700 bg-zinc-950 px-3 py-2 text-sm disabled:text-zinc-500 focus-visible:outline-2 focus-visible:outline-emerald-400"
      >
        {empty ? <option value="">{ready ? `No ${label.toLowerCase()} found` : 'Looking for devices…'}</option> : null}
        {systemDefault ? <option value="">System default</option> : null}
        {devices.map((device) => (
          <option key={device.deviceId} value={device.deviceId}>
            {device.label}
          </option>
        ))}
        {canChoose ? <option value={CHOOSE_SPEAKER}>Choose another speaker…</option> : null}
      </select>
      {note ? (
        <p id={`${id}-note`} role="status" className="text-xs text-amber-300">
          {note}
        </p>
      ) : null}
    </div>
  );
}

export function DevicePickers({ onSelect }: { onSelect: (kind: DeviceKind, deviceId: string) => void }) {
  const canSelectSpeaker = useMedia((state) => state.canSelectSpeaker);
  return (
    <>
      {PICKERS.filter((picker) => picker.kind !== 'audiooutput' || canSelectSpeaker).map((picker) => (
        <DevicePicker key={picker.kind} kind={picker.kind} label={picker.label} onSelect={onSelect} />
      ))}
    </>
  );
}
