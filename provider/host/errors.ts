/**
 * Errors as they leave a provider method, in the shapes Pulumi's dynamic-provider host
 * understands: a plain message for "this failed", or `id` and `properties` for "the object
 * was created but a later step failed" (packed as ErrorResourceInitFailed, so Pulumi
 * records the object instead of orphaning it).
 */
import { redact } from "../client/errors";

/**
 * The object exists (`id`), but a step of its create or update failed: Pulumi saves it with
 * `properties` (what is true of it now) and the next `pulumi up` updates it again.
 */
export class ResourceInitError extends Error {
  override name = "ResourceInitError";
  readonly reasons: string[];

  constructor(
    readonly id: string,
    readonly properties: Record<string, unknown>,
    cause: unknown,
    /** What happened, e.g. "pr-7 was updated only in part". */
    summary = `${id} was created, but setting it up failed`,
  ) {
    const reason = safeMessage(cause);
    super(`${summary}: ${reason}. Pulumi keeps it in state; the next \`pulumi up\` finishes it.`);
    this.reasons = [reason];
  }
}

function safeMessage(err: unknown): string {
  if (err instanceof Error) return redact(err.message);
  return redact(String(err));
}

/**
 * Any error, made safe to hand to the host: its message only, so no numeric `code` (sent
 * as the gRPC status) or `id` (read as "created") travels with it.
 */
export function providerError(err: unknown, context?: string): Error {
  if (err instanceof ResourceInitError) return err;
  const message = safeMessage(err);
  return new Error(context ? `${context}: ${message}` : message);
}

/** Runs a provider method, turning whatever it throws into a safe error. */
export async function guarded<T>(context: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw providerError(err, context);
  }
}
