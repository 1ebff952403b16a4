/**
 * The participant page. The server validates what it can (the ?channel= prefill) and
 * passes the capture size from the environment; the client leaf does the rest.
 */
import { env } from "@/lib/env";
import { channelFromParam } from "@/lib/client/prefs";
import { JoinApp } from "@/components/join/join-app";

export const dynamic = "force-dynamic";

export default async function Page({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const e = env();
  return <JoinApp videoWidth={e.VIDEO_WIDTH} videoHeight={e.VIDEO_HEIGHT} urlChannel={channelFromParam(params.channel)} />;
}
