import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { AutoRefresh } from "@/components/friends/auto-refresh";
import { DebugRoomView, TableHead } from "@/components/friends/debug-room";
import { AdminPage } from "@/components/friends/admin-page";
import { adminMode, isAdmin } from "@/lib/admin/auth";
import { buildDebug } from "@/lib/debug";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Debug · Conference Camera", robots: { index: false } };

/** /debug for browsers (app/debug/route.ts redirects them here): the same data as the JSON, drawn. */
export default async function DebugView() {
  if (!isAdmin(await headers())) redirect("/login?next=/debug");
  const d = await buildDebug();
  return (
    <AdminPage
      section="Debug"
      signOut={adminMode() === "password"}
      facts={
        <>
          <span className={`text-xs ${d.livekit.reachable ? "text-emerald-300" : "text-rose-300"}`} data-testid="debug-livekit">
            LiveKit {d.livekit.reachable ? `reachable · API ${d.livekit.apiRttMs} ms` : "unreachable"} · {d.livekit.rooms} rooms
          </span>
          <span className="text-xs text-neutral-400 tabular-nums">
            directors: {d.directors.rooms} rooms · CPU {d.directors.cpuPercent} % · RSS {d.directors.rssMb} MB · max event lag {d.directors.eventLagMsMax} ms
          </span>
        </>
      }
      links={
        <>
          <AutoRefresh />
          <a className="text-xs font-semibold text-neutral-300 hover:text-white" href="/friends">
            Friends
          </a>
          <a className="text-xs text-neutral-400 hover:text-white" href="/debug" type="application/json" data-testid="debug-json-hint" title="curl -H 'Authorization: Bearer …' /debug">
            JSON: curl /debug
          </a>
        </>
      }
    >
      <main className="flex flex-col gap-3 p-3">
        {d.rooms.length === 0 && <p className="text-sm text-neutral-400">No channel is open.</p>}
        {d.rooms.map((r) => (
          <DebugRoomView key={r.room} room={r} now={d.at} />
        ))}
        <details className="rounded-lg bg-neutral-900 p-3 ring-1 ring-white/10">
          <summary className="cursor-pointer text-sm font-semibold">Switch settings</summary>
          <table className="mt-2 w-full text-left text-xs">
            <TableHead className="text-neutral-400" columns={["setting", "value", "default"]} />
            <tbody>
              {d.switchConfig.map((row) => (
                <tr key={row.env} className="border-t border-white/5">
                  <td className="py-1 pr-3 font-mono">{row.env}</td>
                  <td className="py-1 pr-3 tabular-nums">{String(row.value)}</td>
                  <td className="py-1 text-neutral-400 tabular-nums">{String(row.default)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </main>
    </AdminPage>
  );
}
