'use client';

/** DevicePickers: camera, microphone and (where the browser allows) speaker choice. */
import { useId, useState } from 'react';
import { useMedia, type DeviceKind } from '@/lib/stores';
import { FIELD_LABEL } from '../ui/TextField';

const PICKERS: { kind: DeviceKind; label: string }[] = [
  { kind: 'videoinput', label: 'Camera' },
  { kind: 'audioinput', label: 'Microphone' },
  { kind: 'audiooutput', label: 'Speaker' },
];

type ChooseSpeaker = () => Promise<string | null>;

function DevicePicker({
  kind,
  label,
  onSelect,
  onChooseSpeaker,
}: {
  kind: DeviceKind;
  label: string;
  onSelect: (kind: DeviceKind, deviceId: string) => void;
  onChooseSpeaker: ChooseSpeaker;
}) {
  const id = useId();
  const devices = useMedia((state) => state.devices[kind]);
  const selected = useMedia((state) => state.selected[kind]);
  const ready = useMedia((state) => state.devicesReady);
  const canChoose = useMedia((state) => kind === 'audiooutput' && state.canChooseSpeaker);
  const [note, setNote] = useState('');
  // Speakers: without a listed 'default' (Firefox lists none until the user chooses one),
  // the system default is an option of its own.
  const systemDefault = kind === 'audiooutput' && !devices.some((device) => device.deviceId === 'default');
  const empty = devices.length === 0 && !systemDefault;

  const choose = (): void => {
    setNote('');
    void onChooseSpeaker().then((message) => setNote(message ?? ''));
  };

  return (
    <div className="flex flex-col gap-1.5">
      <div className="flex items-baseline justify-between gap-2">
        <label htmlFor={id} className={FIELD_LABEL}>
          {label}
        </label>
        {canChoose ? (
          <button type="button" onClick={choose} className="rounded text-xs text-emerald-300 hover:text-emerald-200 hover:underline focus-visible:outline-2 focus-visible:outline-emerald-400">
            Choose another speaker…
          </button>
        ) : null}
      </div>
      <select
        id={id}
        value={selected ?? ''}
        disabled={empty}
        onChange={(event) => {
          setNote('');
          onSelect(kind, event.target.value);
        }}
        className="truncate rounded-lg border border-zinc-700 bg-zinc-950 px-3 py-2 text-sm disabled:text-zinc-500 focus-visible:outline-2 focus-visible:outline-emerald-400"
      >
        {empty ? <option value="">{ready ? `No ${label.toLowerCase()} found` : 'Looking for devices…'}</option> : null}
        {systemDefault ? <option value="">System default</option> : null}
        {devices.map((device) => (
          <option key={device.deviceId} value={device.deviceId}>
            {device.label}
          </option>
        ))}
      </select>
      {canChoose ? (
        // Always present, so that screen readers announce the text when it appears.
        <p role="status" className="text-xs text-amber-300 empty:hidden">
          {note}
        </p>
      ) : null}
    </div>
  );
}

export function DevicePickers({ onSelect, onChooseSpeaker }: { onSelect: (kind: DeviceKind, deviceId: string) => void; onChooseSpeaker: ChooseSpeaker }) {
  const canSelectSpeaker = useMedia((state) => state.canSelectSpeaker);
  return (
    <>
      {PICKERS.filter((picker) => picker.kind !== 'audiooutput' || canSelectSpeaker).map((picker) => (
        <DevicePicker key={picker.kind} kind={picker.kind} label={picker.label} onSelect={onSelect} onChooseSpeaker={onChooseSpeaker} />
      ))}
    </>
  );
}
