/**
 * bandwidth: the mesh's sending policy. In a mesh every participant uploads one copy of
 * its video per other participant, so the per-link budget shrinks as the call grows:
 *
 * | participants | camera per link | resolution (from 720p) | frame rate |
 * | --- | --- | --- | --- |
 * | 2 | 1.5 Mbps | 720p | 30 |
 * | 3–4 | 700 kbps | 480p (÷1.5) | 30 |
 * | 5–6 | 400 kbps | 360p (÷2) | 24 |
 * | 7+ | 250 kbps | 240p (÷3) | 20 |
 *
 * So an 8-person call needs about 7 × 250 kbps ≈ 1.8 Mbps up. Screen shares keep their
 * resolution (text must stay legible) and trade frame rate instead. While someone shares
 * their screen, their camera is a thumbnail beside it: it drops to at most 250 kbps, 240p
 * and 15 fps, which leaves the uplink and the CPU to the screen. Audio is left to Opus.
 */

export interface SendPolicy {
  maxBitrate: number;
  scaleResolutionDownBy: number;
  maxFramerate: number;
}

/** The camera of someone sharing their screen: never more than this. */
const PRESENTER_CAMERA: SendPolicy = { maxBitrate: 250_000, scaleResolutionDownBy: 3, maxFramerate: 15 };

export function cameraPolicy(participants: number, sharingScreen = false): SendPolicy {
  const policy = meshCameraPolicy(participants);
  if (!sharingScreen) return policy;
  return {
    maxBitrate: Math.min(policy.maxBitrate, PRESENTER_CAMERA.maxBitrate),
    scaleResolutionDownBy: Math.max(policy.scaleResolutionDownBy, PRESENTER_CAMERA.scaleResolutionDownBy),
    maxFramerate: Math.min(policy.maxFramerate, PRESENTER_CAMERA.maxFramerate),
  };
}

function meshCameraPolicy(participants: number): SendPolicy {
  if (participants <= 2) return { maxBitrate: 1_500_000, scaleResolutionDownBy: 1, maxFramerate: 30 };
  if (participants <= 4) return { maxBitrate: 700_000, scaleResolutionDownBy: 1.5, maxFramerate: 30 };
  if (participants <= 6) return { maxBitrate: 400_000, scaleResolutionDownBy: 2, maxFramerate: 24 };
  return { maxBitrate: 250_000, scaleResolutionDownBy: 3, maxFramerate: 20 };
}

export function screenPolicy(participants: number): SendPolicy {
  if (participants <= 2) return { maxBitrate: 2_500_000, scaleResolutionDownBy: 1, maxFramerate: 15 };
  if (participants <= 4) return { maxBitrate: 1_500_000, scaleResolutionDownBy: 1, maxFramerate: 10 };
  return { maxBitrate: 1_000_000, scaleResolutionDownBy: 1, maxFramerate: 5 };
}

/**
 * What a video encoder gives up first when it cannot keep up: `balanced` (the browsers'
 * default: resolution or frame rate) or `maintain-resolution` (frame rate only).
 */
export type Degradation = 'balanced' | 'maintain-resolution';

/**
 * The camera's degradation preference: `maintain-resolution` while a link starts, then
 * the default. A new link's bandwidth estimate starts low (about 300 kbps), and with
 * `balanced` Chromium drops the camera's first frames while it scales a 720p camera
 * down to fit: the first frame left about 200 ms after the link connected, against
 * about 70 ms keeping the resolution (bench:browser, docs/performance.md). Once started,
 * the default lets a congested or busy sender lower its resolution again.
 */
export function cameraDegradation(startingUp: boolean): Degradation {
  return startingUp ? 'maintain-resolution' : 'balanced';
}

/** A sender's parameters, as far as the policy touches them. */
export interface PolicyParameters {
  encodings?: { maxBitrate?: number; scaleResolutionDownBy?: number; maxFramerate?: number }[];
  degradationPreference?: string;
}

/**
 * Applies `policy` to every encoding of a sender's parameters, and `degradation` when
 * given; returns false when nothing changed.
 */
export function applyPolicy(parameters: PolicyParameters, policy: SendPolicy, degradation?: Degradation): boolean {
  const encodings = parameters.encodings;
  if (!encodings || encodings.length === 0) return false;
  let changed = false;
  if (degradation !== undefined && parameters.degradationPreference !== degradation) {
    parameters.degradationPreference = degradation;
    changed = true;
  }
  for (const encoding of encodings) {
    if (
      encoding.maxBitrate !== policy.maxBitrate ||
      encoding.scaleResolutionDownBy !== policy.scaleResolutionDownBy ||
      encoding.maxFramerate !== policy.maxFramerate
    ) {
      encoding.maxBitrate = policy.maxBitrate;
      encoding.scaleResolutionDownBy = policy.scaleResolutionDownBy;
      encoding.maxFramerate = policy.maxFramerate;
      changed = true;
    }
  }
  return changed;
}
