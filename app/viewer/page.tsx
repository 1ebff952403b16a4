/**
 * The program output (projector, OBS browser source). `?channel=N` picks the channel,
 * `?clean=1` hides every control so only the picture is captured. PROGRAM_TRANSITION
 * reaches the page as a prop: the one setting it needs, read on the server.
 */
import type { Metadata } from "next";
import { channelFromParam } from "@/lib/client/prefs";
import { ViewerApp } from "@/components/viewer/viewer-app";
import { env } from "@/lib/env";

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
  return <ViewerApp urlChannel={channelFromParam(params.channel)} clean={clean} transition={env().PROGRAM_TRANSITION} />;
}
