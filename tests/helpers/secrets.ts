/**
 * The secrets no response may ever contain: the LiveKit API secret and the admin
 * password. Every integration test's fetch and every end-to-end page's responses are
 * checked against them (tests/helpers/no-secrets-setup.ts, tests/e2e/fixtures.ts).
 */
export function secrets(): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  const secret = process.env.LIVEKIT_API_SECRET ?? "cc-dev-secret-embedded-default-not-for-production";
  out.push({ name: "LIVEKIT_API_SECRET", value: secret });
  const pw = process.env.CC_ADMIN_PASSWORD;
  if (pw) out.push({ name: "ADMIN_PASSWORD", value: pw });
  return out;
}

/** The names of the secrets found in a body, if any. */
export function leakedIn(body: string): string[] {
  return secrets()
    .filter((s) => body.includes(s.value))
    .map((s) => s.name);
}

export function adminPassword(): string {
  const pw = process.env.CC_ADMIN_PASSWORD;
  if (!pw) throw new Error("CC_ADMIN_PASSWORD is unset: run inside `npm test`, which gives the app an admin password");
  return pw;
}
