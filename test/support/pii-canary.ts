/**
 * Tests mark the medical information they write (injury descriptions, treatment details,
 * medical-record descriptions) with "CANARY". It must never reach a log line or an error message,
 * whatever the test, nor a payload of a viewer who may not see medical information.
 */
export const PII_CANARY = 'CANARY-7f3a';

/** Upper case only: "pii-canary" in a stack trace's file name is not the marker. */
export function containsCanary(text: string): boolean {
  return text.includes('CANARY');
}
