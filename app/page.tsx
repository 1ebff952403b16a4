/**
 * The participant page. The server validates what it can (the ?channel= prefill) and
 * passes the capture size and the phone URL (for the "Join from a phone" QR) from the
 * environment; the client leaf does the rest.
 */
import { headers } from "next/headers";
import { env } from "@/lib/env";
import { channelFromParam } from "@/lib/client/prefs";
import { phoneBaseUrl } from "@/lib/public-url";
import { JoinApp } from "@/components/join/join-app";

export const dynamic = "force-dynamic";

export default async function Page({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const h = await headers();
  const e = env();
  const phoneUrl = phoneBaseUrl({
    configured: e.PHONE_URL,
    host: h.get("x-forwarded-host") ?? h.get("host"),
    protocol: (h.get("x-forwarded-proto") ?? "http").split(",")[0]!.trim(),
  });
  return (
    <JoinApp
      videoWidth={e.VIDEO_WIDTH}
      videoHeight={e.VIDEO_HEIGHT}
      urlChannel={channelFromParam(params.channel)}
      phoneUrl={phoneUrl}
      codeRequired={e.JOIN_CODE !== undefined}
    />
  );
}
