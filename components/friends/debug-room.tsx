/**
 * One room of /debug, drawn on the server as SVG: the director's last 10 s of levels
 * per participant (20 ms frames) and its last 100 decisions on a time axis, then the
 * recent decisions as a table with their evidence.
 */
import type { DebugRoom } from "@/lib/debug";
import { clockTime, colorOf, meterFraction } from "./colors";

const W = 1000;
const LEVEL_H = 120;
const DEC_H = 36;
const FRAME_MS = 20;

function decodeLevels(b64: string): number[] {
  return Array.from(Buffer.from(b64, "base64"));
}

/** The header row of a /debug table; every column but the last keeps a gap on its right. */
export function TableHead({ columns, className }: { columns: string[]; className: string }) {
  return (
    <thead className={className}>
      <tr>
        {columns.map((c, i) => (
          <th key={c} className={i + 1 < columns.length ? "py-1 pr-3 font-medium" : "py-1 font-medium"}>
            {c}
          </th>
        ))}
      </tr>
    </thead>
  );
}

export function DebugRoomView({ room, now }: { room: DebugRoom; now: number }) {
  const d = room.director;
  const participants = Object.entries(d?.participants ?? {});
  const decisions = d?.decisions ?? [];
  const span = decisions.length > 0 ? Math.max(10_000, now - decisions[0]!.at) : 10_000;
  const decX = (t: number) => W - ((now - t) / span) * W;
  const names = new Map(participants.map(([id, p]) => [id, p.name]));
  return (
    <section className="rounded-lg bg-neutral-900 p-3 ring-1 ring-white/10" data-testid="debug-room" data-room={room.room}>
      <header className="flex flex-wrap items-baseline gap-x-4 gap-y-1">
        <h2 className="text-sm font-bold">CH {room.channel}</h2>
        <span className="text-xs text-neutral-300">
          program: <span className="font-semibold text-rose-200">{room.program?.name ?? room.program?.program ?? "nobody"}</span>
          {room.program?.pinned && <span className="ml-1 rounded bg-amber-400 px-1 text-[10px] font-bold text-neutral-950">PINNED</span>}
          <span className="ml-2 text-neutral-400">
            {room.program?.reason} · seq {room.program?.seq}
          </span>
        </span>
        {d ? (
          <span className="text-xs text-neutral-400 tabular-nums">
            {d.director} · {d.policy} · pid {d.health.pid} · CPU {d.health.cpuPercent} % · RSS {d.health.rssMb} MB · lag {d.health.eventLagMs}/
            {d.health.eventLagMaxMs} ms · dropped {d.health.framesDropped}
          </span>
        ) : (
          <span className="text-xs text-amber-300">no director record</span>
        )}
      </header>

      <h3 className="mt-3 text-[11px] font-semibold tracking-wide text-neutral-400 uppercase">Levels, last 10 s (louder is higher)</h3>
      <svg viewBox={`0 0 ${W} ${LEVEL_H}`} preserveAspectRatio="none" className="mt-1 h-28 w-full rounded bg-black/40" role="img" aria-label="levels">
        {[0.25, 0.5, 0.75].map((f) => (
          <line key={f} x1={0} x2={W} y1={LEVEL_H * f} y2={LEVEL_H * f} stroke="rgba(255,255,255,0.06)" />
        ))}
        {participants.map(([id, p]) => {
          const levels = decodeLevels(p.levels);
          const n = levels.length;
          const points = levels
            .map((lv, i) => `${(W - ((n - 1 - i) * FRAME_MS * W) / 10_000).toFixed(1)},${(LEVEL_H * (1 - meterFraction(lv))).toFixed(1)}`)
            .join(" ");
          return <polyline key={id} points={points} fill="none" stroke={colorOf(id)} strokeWidth={1.5} vectorEffect="non-scaling-stroke" />;
        })}
      </svg>
      <ul className="mt-1 flex flex-wrap gap-x-3 gap-y-0.5 text-[11px]">
        {participants.map(([id, p]) => (
          <li key={id} className="flex items-center gap-1" data-testid="debug-participant" data-identity={id}>
            <span className="size-2 rounded-sm" style={{ background: colorOf(id) }} />
            <span className="text-neutral-200">{p.name}</span>
            <span className="text-neutral-400">{p.muted ? "muted" : "live"}</span>
          </li>
        ))}
      </ul>

      <h3 className="mt-3 text-[11px] font-semibold tracking-wide text-neutral-400 uppercase">
        Decisions, last {Math.round(span / 1000)} s ({decisions.length})
      </h3>
      <svg viewBox={`0 0 ${W} ${DEC_H}`} preserveAspectRatio="none" className="mt-1 h-9 w-full rounded bg-black/40" role="img" aria-label="decisions">
        {decisions.map((dec, i) => {
          const x1 = decX(dec.at);
          const x2 = i + 1 < decisions.length ? decX(decisions[i + 1]!.at) : W;
          return (
            <g key={dec.seq}>
              {dec.program && <rect x={x1} y={4} width={Math.max(1, x2 - x1)} height={DEC_H - 14} fill={colorOf(dec.program, 0.85)} />}
              <line x1={x1} x2={x1} y1={0} y2={DEC_H} stroke={dec.reason === "pin" || dec.reason === "unpin" ? "#fbbf24" : "rgba(255,255,255,0.5)"} strokeWidth={1} vectorEffect="non-scaling-stroke" />
            </g>
          );
        })}
      </svg>
      {/* Scrolls once decisions pile up: focusable, so a keyboard can scroll it too. */}
      <div className="mt-2 max-h-56 overflow-y-auto" tabIndex={0} role="region" aria-label="Decisions">
        <table className="w-full text-left text-[11px]">
          <TableHead className="sticky top-0 bg-neutral-900 text-neutral-400" columns={["time", "seq", "program", "reason", "evidence"]} />
          <tbody>
            {decisions
              .slice(-25)
              .reverse()
              .map((dec) => (
                <tr key={dec.seq} className="border-t border-white/5" data-testid="debug-decision">
                  <td className="py-0.5 pr-3 text-neutral-400 tabular-nums">{clockTime(dec.at)}</td>
                  <td className="py-0.5 pr-3 tabular-nums">{dec.seq}</td>
                  <td className="py-0.5 pr-3">
                    {dec.program ? (
                      <span className="flex items-center gap-1">
                        <span className="size-2 rounded-sm" style={{ background: colorOf(dec.program) }} />
                        {names.get(dec.program) ?? dec.program}
                      </span>
                    ) : (
                      "nobody"
                    )}
                  </td>
                  <td className="py-0.5 pr-3">{dec.reason}</td>
                  <td className="py-0.5 font-mono text-neutral-400">
                    {Object.entries(dec.evidence)
                      .map(([k, v]) => `${k}=${v}`)
                      .join(" ")}
                  </td>
                </tr>
              ))}
          </tbody>
        </table>
      </div>
      <p className="mt-2 text-[11px] text-neutral-400">
        LiveKit lists:{" "}
        {room.livekitParticipants.map((p) => (
          <span key={p.identity} className="mr-2">
            {p.name || p.identity}
            <span className="text-neutral-400">
              {" "}
              ({p.kind}
              {p.hidden ? ", hidden" : ""})
            </span>
          </span>
        ))}
      </p>
    </section>
  );
}
