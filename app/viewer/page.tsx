/**
 * The program output (projector, OBS browser source). `?channel=N` picks the channel,
 * `?clean=1` hides every control so only the picture is captured.
 */
import type { Metadata } from "next";
import { channelFromParam } from "@/lib/client/prefs";
import { ViewerApp } from "@/components/viewer/viewer-app";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Program · Conference Camera" };

export default async function ViewerPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const cleanParam = Array.isArray(params.clean) ? params.clean[0] : params.clean;
  const clean = cleanParam !== undefined && cleanParam !== "0" && cleanParam !== "false";
  return <ViewerApp urlChannel={channelFromParam(params.channel)} clean={clean} />;
}
