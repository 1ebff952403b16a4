import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { AutoRefresh } from "@/components/friends/auto-refresh";
import { DebugRoomView } from "@/components/friends/debug-room";
import { SignOutButton } from "@/components/friends/sign-out-button";
import { adminMode, isAdmin } from "@/lib/admin-auth";
import { buildDebug } from "@/lib/debug";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Debug · Conference Camera", robots: { index: false } };

/** /debug for browsers (app/debug/route.ts redirects them here): the same data as the JSON, drawn. */
export default async function DebugView() {
  if (!isAdmin(await headers())) redirect("/login?next=/debug");
  const d = await buildDebug();
  return (
    <div className="min-h-dvh bg-neutral-950 text-neutral-100">
      <header className="sticky top-0 z-10 flex flex-wrap items-center gap-x-4 gap-y-1 border-b border-white/10 bg-neutral-950/95 px-4 py-2 backdrop-blur">
        <h1 className="text-sm font-bold">
          Conference Camera <span className="text-neutral-500">· Debug</span>
        </h1>
        <span className={`text-xs ${d.livekit.reachable ? "text-emerald-300" : "text-rose-300"}`} data-testid="debug-livekit">
          LiveKit {d.livekit.reachable ? `reachable · API ${d.livekit.apiRttMs} ms` : "unreachable"} · {d.livekit.rooms} rooms
        </span>
        <span className="text-xs text-neutral-400 tabular-nums">
          directors: {d.directors.rooms} rooms · CPU {d.directors.cpuPercent} % · RSS {d.directors.rssMb} MB · max event lag {d.directors.eventLagMsMax} ms
        </span>
        <span className="ml-auto flex items-center gap-3">
          <AutoRefresh />
          <a className="text-xs font-semibold text-neutral-300 hover:text-white" href="/friends">
            Friends
          </a>
          <a className="text-xs text-neutral-400 hover:text-white" href="/debug" type="application/json" data-testid="debug-json-hint" title="curl -H 'Authorization: Bearer …' /debug">
            JSON: curl /debug
          </a>
          {adminMode() === "password" && <SignOutButton />}
        </span>
      </header>
      <main className="flex flex-col gap-3 p-3">
        {d.rooms.length === 0 && <p className="text-sm text-neutral-400">No channel is open.</p>}
        {d.rooms.map((r) => (
          <DebugRoomView key={r.room} room={r} now={d.at} />
        ))}
        <details className="rounded-lg bg-neutral-900 p-3 ring-1 ring-white/10">
          <summary className="cursor-pointer text-sm font-semibold">Switch settings</summary>
          <table className="mt-2 w-full text-left text-xs">
            <thead className="text-neutral-400">
              <tr>
                <th className="py-1 pr-3 font-medium">setting</th>
                <th className="py-1 pr-3 font-medium">value</th>
                <th className="py-1 font-medium">default</th>
              </tr>
            </thead>
            <tbody>
              {d.switchConfig.map((row) => (
                <tr key={row.env} className="border-t border-white/5">
                  <td className="py-1 pr-3 font-mono">{row.env}</td>
                  <td className="py-1 pr-3 tabular-nums">{String(row.value)}</td>
                  <td className="py-1 text-neutral-500 tabular-nums">{String(row.default)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </main>
    </div>
  );
}
