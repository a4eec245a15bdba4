/** AppError: a request failure the client is told about, with a protocol error code. */
import { ErrorCode, type ErrorCodeName } from '../../lib/signaling/protocol';

export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: number;

  constructor(code: ErrorCodeName, reason: string) {
    super(reason);
    this.code = ErrorCode[code];
  }
}
