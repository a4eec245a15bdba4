import { describe, expect, it } from 'vitest';
import { applyPolicy, cameraDegradation, cameraPolicy, screenPolicy } from './bandwidth';

describe('bandwidth policy', () => {
  it('shrinks the per-link camera budget as the mesh grows, keeping 8 people under ~2 Mbps up', () => {
    const budgets = [2, 3, 4, 5, 6, 7, 8].map((n) => cameraPolicy(n).maxBitrate * (n - 1));
    expect(budgets.every((total) => total <= 2_100_000)).toBe(true);
    expect(cameraPolicy(2).scaleResolutionDownBy).toBe(1);
    expect(cameraPolicy(8).scaleResolutionDownBy).toBe(3);
    for (let n = 3; n <= 8; n++) expect(cameraPolicy(n).maxBitrate).toBeLessThanOrEqual(cameraPolicy(n - 1).maxBitrate);
  });

  it('keeps screen shares at full resolution and lowers their frame rate', () => {
    for (const n of [2, 4, 8]) expect(screenPolicy(n).scaleResolutionDownBy).toBe(1);
    expect(screenPolicy(8).maxFramerate).toBeLessThan(screenPolicy(2).maxFramerate);
  });

  it("turns a presenter's camera into a thumbnail, never raising what the mesh allows", () => {
    for (const n of [2, 4, 8]) {
      const presenter = cameraPolicy(n, true);
      expect(presenter.maxBitrate).toBeLessThanOrEqual(Math.min(250_000, cameraPolicy(n).maxBitrate));
      expect(presenter.scaleResolutionDownBy).toBeGreaterThanOrEqual(Math.max(3, cameraPolicy(n).scaleResolutionDownBy));
      expect(presenter.maxFramerate).toBeLessThanOrEqual(15);
    }
    expect(cameraPolicy(4, false)).toEqual(cameraPolicy(4));
  });

  it('applies a policy to every encoding and reports whether anything changed', () => {
    const parameters = { encodings: [{ maxBitrate: 1 }, {}] };
    expect(applyPolicy(parameters, cameraPolicy(4))).toBe(true);
    expect(parameters.encodings).toEqual([cameraPolicy(4), cameraPolicy(4)]);
    expect(applyPolicy(parameters, cameraPolicy(4))).toBe(false);
    expect(applyPolicy({ encodings: [] }, cameraPolicy(4))).toBe(false);
  });

  it('keeps the camera resolution while a link starts, then lets the encoder choose again', () => {
    const parameters: { encodings: object[]; degradationPreference?: string } = { encodings: [{}] };
    expect(applyPolicy(parameters, cameraPolicy(2), cameraDegradation(true))).toBe(true);
    expect(parameters.degradationPreference).toBe('maintain-resolution');
    expect(applyPolicy(parameters, cameraPolicy(2), cameraDegradation(true))).toBe(false);
    expect(applyPolicy(parameters, cameraPolicy(2), cameraDegradation(false))).toBe(true);
    expect(parameters.degradationPreference).toBe('balanced');
    // Without a degradation (screen shares) it is left as the browser has it.
    expect(applyPolicy(parameters, cameraPolicy(2))).toBe(false);
    expect(parameters.degradationPreference).toBe('balanced');
  });
});
