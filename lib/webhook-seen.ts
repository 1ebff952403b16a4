/**
 * The webhook's visible trace. When LiveKit's participant_joined webhook reaches the
 * app, the app stamps the participant with this attribute (ms since the epoch). It
 * is how a laptop can see a webhook round trip end to end — LiveKit → the app's
 * webhook URL → signature check → LiveKit API — without any state in the app:
 * `npm run doctor` joins a bot and waits for its own attribute. Pure and shared.
 */
export const ATTR_WEBHOOK_SEEN = "cc.webhook";

/** The stamp's time, or null when absent or not ours. */
export function parseWebhookSeen(value: string | undefined): number | null {
  if (!value || !/^\d{13}$/.test(value)) return null;
  return Number(value);
}
