/**
 * LocalMedia: this participant's camera, microphone and screen share. It opens and
 * closes devices, keeps the media store in step, and tells its listeners when a track
 * changes so every peer link can `replaceTrack` (no renegotiation) or add the screen.
 *
 * Camera off stops the camera track (the light goes off); microphone mute only disables
 * the track (instant unmute). `close()` stops every track.
 */
import { mediaActions, mediaStore, type DeviceKind, type DeviceOption, type MediaErrorKind } from '../stores/media';

export type LocalTrackKind = 'audio' | 'video' | 'screen';
export type TrackListener = (kind: LocalTrackKind, track: MediaStreamTrack | null) => void;

const VIDEO_CONSTRAINTS: MediaTrackConstraints = { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } };
const AUDIO_CONSTRAINTS: MediaTrackConstraints = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };

/** What went wrong opening a device, in words a user can act on. */
export function describeMediaError(error: unknown, what: 'camera' | 'microphone' | 'camera and microphone' | 'screen'): { kind: MediaErrorKind; message: string } {
  const name = error instanceof Error ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return {
        kind: 'denied',
        message:
          what === 'screen'
            ? 'Screen sharing was cancelled or is not allowed.'
            : `Access to the ${what} was denied. Allow it in your browser's site settings, then try again.`,
      };
    case 'NotFoundError':
    case 'OverconstrainedError':
      return { kind: 'notFound', message: `No ${what} found. Connect one, or join without it.` };
    case 'NotReadableError':
    case 'AbortError':
      return { kind: 'inUse', message: `The ${what} is in use by another application, or could not be started.` };
    default:
      return { kind: 'other', message: `Could not open the ${what}${error instanceof Error && error.message ? `: ${error.message}` : '.'}` };
  }
}

export class LocalMedia {
  /** Camera and microphone, for the self view and the peer links. */
  readonly stream = new MediaStream();
  #screenStream: MediaStream | null = null;
  readonly #listeners = new Set<TrackListener>();
  #closed = false;
  /** Speakers chosen so far (chooseSpeaker), so that a device list read meanwhile keeps the choice. */
  #speakerChoices = 0;
  #onDeviceChange = (): void => void this.refreshDevices();

  constructor() {
    navigator.mediaDevices?.addEventListener?.('devicechange', this.#onDeviceChange);
    mediaActions.set({
      canSelectSpeaker: typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype,
      canChooseSpeaker: typeof speakerChooser()?.selectAudioOutput === 'function',
    });
  }

  get audioTrack(): MediaStreamTrack | null {
    return this.stream.getAudioTracks()[0] ?? null;
  }

  get videoTrack(): MediaStreamTrack | null {
    return this.stream.getVideoTracks()[0] ?? null;
  }

  get screenStream(): MediaStream | null {
    return this.#screenStream;
  }

  get screenTrack(): MediaStreamTrack | null {
    return this.#screenStream?.getVideoTracks()[0] ?? null;
  }

  onTrack(listener: TrackListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Opens the devices wanted by the media store (audioEnabled/videoEnabled, selected ids). */
  async start(): Promise<void> {
    if (!navigator.mediaDevices?.getUserMedia) {
      mediaActions.set({ mediaError: { kind: 'other', message: 'This browser cannot use cameras or microphones here (a secure https:// page is needed).' } });
      return;
    }
    const { audioEnabled, videoEnabled } = mediaStore.getState();
    if (audioEnabled || videoEnabled) {
      try {
        const stream = await navigator.mediaDevices.getUserMedia({ audio: audioEnabled && this.#audioConstraints(), video: videoEnabled && this.#videoConstraints() });
        if (this.#closed) return stopAll(stream);
        for (const track of stream.getTracks()) this.#setTrack(track.kind === 'audio' ? 'audio' : 'video', track);
        mediaActions.set({ mediaError: null });
      } catch (error) {
        // Both at once failed: try each alone, so a missing camera does not cost the microphone.
        const denied = describeMediaError(error, 'camera and microphone');
        if (denied.kind === 'denied') mediaActions.set({ mediaError: denied, hasAudioTrack: false, hasVideoTrack: false });
        else {
          if (audioEnabled) await this.#open('audio');
          if (videoEnabled) await this.#open('video');
        }
      }
    }
    await this.refreshDevices();
  }

  /** Mutes or unmutes the microphone (opening it if there is none yet). */
  async setMicEnabled(enabled: boolean): Promise<void> {
    mediaActions.set({ audioEnabled: enabled });
    const track = this.audioTrack;
    if (track) track.enabled = enabled;
    else if (enabled) await this.#open('audio');
  }

  /** Turns the camera on (opening it) or off (stopping it, so its light goes off). */
  async setCameraEnabled(enabled: boolean): Promise<void> {
    mediaActions.set({ videoEnabled: enabled });
    if (enabled) {
      if (!this.videoTrack) await this.#open('video');
    } else {
      this.#setTrack('video', null);
    }
  }

  /** Switches to another camera, microphone or speaker. */
  async selectDevice(kind: DeviceKind, deviceId: string): Promise<void> {
    mediaActions.select(kind, deviceId || null);
    if (kind === 'audioinput' && this.audioTrack) await this.#open('audio');
    if (kind === 'videoinput' && this.videoTrack) await this.#open('video');
  }

  async startScreenShare(): Promise<boolean> {
    if (this.#screenStream) return true;
    if (!navigator.mediaDevices?.getDisplayMedia) {
      mediaActions.set({ mediaError: { kind: 'other', message: 'This browser cannot share the screen.' } });
      return false;
    }
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: { ideal: 15 } }, audio: false });
    } catch (error) {
      const problem = describeMediaError(error, 'screen');
      if (problem.kind !== 'denied') mediaActions.set({ mediaError: problem });
      return false;
    }
    if (this.#closed) {
      stopAll(stream);
      return false;
    }
    const track = stream.getVideoTracks()[0];
    if (!track) return false;
    track.contentHint = 'detail';
    // The browser's own "Stop sharing" button ends the track.
    track.addEventListener('ended', () => this.stopScreenShare());
    this.#screenStream = stream;
    mediaActions.set({ screenSharing: true });
    this.#emit('screen', track);
    return true;
  }

  stopScreenShare(): void {
    if (!this.#screenStream) return;
    stopAll(this.#screenStream);
    this.#screenStream = null;
    mediaActions.set({ screenSharing: false });
    this.#emit('screen', null);
  }

  /**
   * Asks the user for a speaker (`selectAudioOutput`, Firefox: it lists no speaker until the
   * user has chosen one) and selects it. Call from a click. Returns a message for the user
   * when none could be chosen, null when one was or the user closed the prompt.
   */
  async chooseSpeaker(): Promise<string | null> {
    const chooser = speakerChooser();
    if (typeof chooser?.selectAudioOutput !== 'function') return 'This browser cannot choose a speaker.';
    let device: MediaDeviceInfo;
    try {
      device = await chooser.selectAudioOutput();
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      if (name === 'NotAllowedError' || name === 'AbortError') return null;
      if (name === 'NotFoundError') return 'No other speaker found.';
      return `Could not choose a speaker${error instanceof Error && error.message ? `: ${error.message}` : '.'}`;
    }
    if (this.#closed) return null;
    this.#speakerChoices++;
    const { devices } = mediaStore.getState();
    const listed = devices.audiooutput;
    if (!listed.some((d) => d.deviceId === device.deviceId)) {
      const option = { deviceId: device.deviceId, label: device.label || `Speaker ${listed.length + 1}` };
      mediaActions.set({ devices: { ...devices, audiooutput: [...listed, option] } });
    }
    mediaActions.select('audiooutput', device.deviceId);
    return null;
  }

  async refreshDevices(): Promise<void> {
    if (!navigator.mediaDevices?.enumerateDevices) {
      mediaActions.set({ devicesReady: true });
      return;
    }
    const speakerChoices = this.#speakerChoices;
    const all = await navigator.mediaDevices.enumerateDevices();
    const devices: Record<DeviceKind, DeviceOption[]> = { audioinput: [], videoinput: [], audiooutput: [] };
    for (const device of all) {
      const list = devices[device.kind];
      // Before permission, labels are empty and ids may be too.
      if (!device.deviceId) continue;
      list.push({ deviceId: device.deviceId, label: device.label || `${kindLabel(device.kind)} ${list.length + 1}` });
    }
    const selected = { ...mediaStore.getState().selected };
    const current = { audioinput: this.audioTrack?.getSettings().deviceId, videoinput: this.videoTrack?.getSettings().deviceId, audiooutput: undefined };
    for (const kind of ['audioinput', 'videoinput'] as const) {
      const wanted = current[kind] ?? selected[kind];
      selected[kind] = devices[kind].some((d) => d.deviceId === wanted) ? wanted! : (devices[kind][0]?.deviceId ?? null);
    }
    if (this.#speakerChoices !== speakerChoices) {
      // A speaker was chosen while the list was read: this list may not have it yet.
      devices.audiooutput = mediaStore.getState().devices.audiooutput;
    } else if (!devices.audiooutput.some((d) => d.deviceId === selected.audiooutput)) {
      // The speaker is gone: the system default ('default' where listed).
      selected.audiooutput = devices.audiooutput.some((d) => d.deviceId === 'default') ? 'default' : null;
    }
    if (!this.#closed) mediaActions.set({ devices, selected, devicesReady: true });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    navigator.mediaDevices?.removeEventListener?.('devicechange', this.#onDeviceChange);
    for (const track of this.stream.getTracks()) {
      track.stop();
      this.stream.removeTrack(track);
    }
    if (this.#screenStream) stopAll(this.#screenStream);
    this.#screenStream = null;
    this.#listeners.clear();
    mediaActions.set({ hasAudioTrack: false, hasVideoTrack: false, screenSharing: false });
  }

  #audioConstraints(): MediaTrackConstraints {
    const deviceId = mediaStore.getState().selected.audioinput;
    return deviceId ? { ...AUDIO_CONSTRAINTS, deviceId: { exact: deviceId } } : AUDIO_CONSTRAINTS;
  }

  #videoConstraints(): MediaTrackConstraints {
    const deviceId = mediaStore.getState().selected.videoinput;
    return deviceId ? { ...VIDEO_CONSTRAINTS, deviceId: { exact: deviceId } } : VIDEO_CONSTRAINTS;
  }

  /** Opens (or reopens, on another device) one kind of device. */
  async #open(kind: 'audio' | 'video'): Promise<void> {
    try {
      const stream = await navigator.mediaDevices.getUserMedia(kind === 'audio' ? { audio: this.#audioConstraints() } : { video: this.#videoConstraints() });
      const track = stream.getTracks()[0] ?? null;
      if (this.#closed || !track) return stopAll(stream);
      // The state may have changed while the device was opening.
      const { audioEnabled, videoEnabled } = mediaStore.getState();
      if (kind === 'video' && !videoEnabled) return stopAll(stream);
      if (kind === 'audio') track.enabled = audioEnabled;
      this.#setTrack(kind, track);
      mediaActions.set({ mediaError: null });
      await this.refreshDevices();
    } catch (error) {
      mediaActions.set({ mediaError: describeMediaError(error, kind === 'audio' ? 'microphone' : 'camera') });
      if (kind === 'video') mediaActions.set({ videoEnabled: false });
    }
  }

  #setTrack(kind: 'audio' | 'video', track: MediaStreamTrack | null): void {
    const old = kind === 'audio' ? this.audioTrack : this.videoTrack;
    if (old === track) return;
    if (old) {
      old.stop();
      this.stream.removeTrack(old);
    }
    if (track) this.stream.addTrack(track);
    mediaActions.set(kind === 'audio' ? { hasAudioTrack: track !== null } : { hasVideoTrack: track !== null });
    mediaActions.bumpLocal();
    this.#emit(kind, track);
  }

  #emit(kind: LocalTrackKind, track: MediaStreamTrack | null): void {
    for (const listener of this.#listeners) listener(kind, track);
  }
}

function stopAll(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}

interface SpeakerChooser {
  selectAudioOutput?: () => Promise<MediaDeviceInfo>;
}

function speakerChooser(): SpeakerChooser | undefined {
  return typeof navigator === 'undefined' ? undefined : (navigator.mediaDevices as SpeakerChooser | undefined);
}

function kindLabel(kind: MediaDeviceKind): string {
  return kind === 'audioinput' ? 'Microphone' : kind === 'videoinput' ? 'Camera' : 'Speaker';
}
