import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** Bytes of randomness in a signing secret (Standard Webhooks asks for 24 to 64). */
const SECRET_BYTES = 32;

/** A new signing secret: `whsec_` and the base64 of random bytes, as Standard Webhooks writes them. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(SECRET_BYTES).toString('base64')}`;
}

/** The secrets that sign a delivery now: the current one, and the one before it during the rotation overlap. */
export interface SigningSecrets {
  current: string;
  previous: string | null;
}

/**
 * The Standard Webhooks headers of one attempt: `webhook-id` (the same for every attempt of the
 * message), `webhook-timestamp` (seconds) and `webhook-signature`, `v1,<base64 HMAC-SHA256 of
 * "id.timestamp.body">` per secret, space-separated, so that a receiver holding either secret
 * verifies the message during a rotation.
 */
export function signatureHeaders(
  webhookId: string,
  sentAt: Date,
  body: string,
  secrets: SigningSecrets,
): Record<string, string> {
  const keys = secrets.previous ? [secrets.current, secrets.previous] : [secrets.current];
  return {
    'webhook-id': webhookId,
    'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
    'webhook-signature': keys.map((key) => new Webhook(key).sign(webhookId, sentAt, body)).join(' '),
  };
}
