import { ApiError } from "../errors.ts";

/**
 * A webhook request that fails its platform's verification: 401 `unauthorized`, nothing stored. The
 * message says which check failed (missing header, bad signature, stale timestamp, wrong audience…)
 * and never echoes a secret or the signature.
 */
export class ChannelVerificationError extends ApiError {
  constructor(message: string) {
    super("unauthorized", message);
  }
}

/** A verified request whose body is not what the platform documents: 400 `invalid_request`. */
export class ChannelPayloadError extends ApiError {
  constructor(message: string) {
    super("invalid_request", message);
  }
}
