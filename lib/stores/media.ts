/**
 * media store: this participant and its devices. The tracks themselves live in
 * lib/call/LocalMedia; here is only what the UI shows.
 *
 * {
 *   displayName: string
 *   presence: { show: 'chat' | 'away' | 'dnd' | 'xa'; status?: string }
 *   audioEnabled, videoEnabled, screenSharing: boolean   what we send
 *   hasAudioTrack, hasVideoTrack: boolean                 whether a device is open
 *   devices: { audioinput, videoinput, audiooutput: { deviceId, label }[] }
 *   devicesReady: boolean                                 the device lists have been read once
 *   selected: { audioinput, videoinput, audiooutput: deviceId | null }   a null speaker: the system default
 *   canSelectSpeaker: boolean                             HTMLMediaElement.setSinkId exists
 *   canChooseSpeaker: boolean                             the browser can ask the user for a speaker
 *                                                         (selectAudioOutput: Firefox, which lists none until then)
 *   mediaError: { kind: 'denied' | 'notFound' | 'inUse' | 'other'; message } | null
 *   localVersion: number                                  bumps when the local stream changes
 *   speaking: boolean                                     our microphone hears speech
 * }
 */
import { createStore } from 'zustand/vanilla';
import type { Presence } from '../signaling/protocol';

export type DeviceKind = 'audioinput' | 'videoinput' | 'audiooutput';
export interface DeviceOption {
  deviceId: string;
  label: string;
}
export type MediaErrorKind = 'denied' | 'notFound' | 'inUse' | 'other';

export interface MediaState {
  displayName: string;
  presence: Presence;
  audioEnabled: boolean;
  videoEnabled: boolean;
  screenSharing: boolean;
  hasAudioTrack: boolean;
  hasVideoTrack: boolean;
  devices: Record<DeviceKind, DeviceOption[]>;
  devicesReady: boolean;
  selected: Record<DeviceKind, string | null>;
  canSelectSpeaker: boolean;
  canChooseSpeaker: boolean;
  mediaError: { kind: MediaErrorKind; message: string } | null;
  localVersion: number;
  speaking: boolean;
}

const initial: MediaState = {
  displayName: '',
  presence: { show: 'chat' },
  audioEnabled: true,
  videoEnabled: true,
  screenSharing: false,
  hasAudioTrack: false,
  hasVideoTrack: false,
  devices: { audioinput: [], videoinput: [], audiooutput: [] },
  devicesReady: false,
  selected: { audioinput: null, videoinput: null, audiooutput: null },
  canSelectSpeaker: false,
  canChooseSpeaker: false,
  mediaError: null,
  localVersion: 0,
  speaking: false,
};

export const mediaStore = createStore<MediaState>()(() => ({ ...initial }));

export const mediaActions = {
  reset: (): void => mediaStore.setState({ ...initial }, true),
  set: (patch: Partial<MediaState>): void => mediaStore.setState(patch),
  select: (kind: DeviceKind, deviceId: string | null): void => mediaStore.setState((state) => ({ selected: { ...state.selected, [kind]: deviceId } })),
  bumpLocal: (): void => mediaStore.setState((state) => ({ localVersion: state.localVersion + 1 })),
};
