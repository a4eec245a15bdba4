'use client';

/** DevicePickers: camera, microphone and (where the browser allows) speaker choice. */
import { useId } from 'react';
import { useMedia, type DeviceKind } from '@/lib/stores';
import { FIELD_LABEL } from '../ui/TextField';

const PICKERS: { kind: DeviceKind; label: string }[] = [
  { kind: 'videoinput', label: 'Camera' },
  { kind: 'audioinput', label: 'Microphone' },
  { kind: 'audiooutput', label: 'Speaker' },
];

function DevicePicker({ kind, label, onSelect }: { kind: DeviceKind; label: string; onSelect: (kind: DeviceKind, deviceId: string) => void }) {
  const id = useId();
  const devices = useMedia((state) => state.devices[kind]);
  const selected = useMedia((state) => state.selected[kind]);
  const ready = useMedia((state) => state.devicesReady);
  return (
    <div className="flex flex-col gap-1.5">
      <label htmlFor={id} className={FIELD_LABEL}>
        {label}
      </label>
      <select
        id={id}
        value={selected ?? ''}
        disabled={devices.length === 0}
        onChange={(event) => onSelect(kind, event.target.value)}
        className="truncate rounded-lg border border-zinc-700 bg-zinc-950 px-3 py-2 text-sm disabled:text-zinc-500 focus-visible:outline-2 focus-visible:outline-emerald-400"
      >
        {devices.length === 0 ? <option value="">{ready ? `No ${label.toLowerCase()} found` : 'Looking for devices…'}</option> : null}
        {devices.map((device) => (
          <option key={device.deviceId} value={device.deviceId}>
            {device.label}
          </option>
        ))}
      </select>
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
