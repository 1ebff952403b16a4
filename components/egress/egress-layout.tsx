"use client";
/**
 * The page LiveKit Egress records: the director's program full-frame at the egress
 * size (1280×720 by default), a lower-third name, optionally a strip of the other
 * cameras, and a clean slate while nobody is on program; on a wide shot the grid of
 * the channel's cameras, each named. It follows only the director's decision in the
 * room metadata (useProgram), never a sort of its own, and changes pictures as
 * PROGRAM_TRANSITION says (the server page passes it in).
 *
 * Egress starts encoding on START_RECORDING: logged once the first program frame (or
 * the wide shot's grid) is on screen, or after SLATE_START_MS when nobody is on program (the slate is the
 * picture then). END_RECORDING comes from EgressHelper when the room ends.
 */
import { useEffect, useRef, useState } from "react";
import { Track, type RemoteParticipant, type RemoteTrackPublication, type Room } from "livekit-client";
import { RoomAudioRenderer, RoomContext, VideoTrack, useRemoteParticipants } from "@livekit/components-react";
import EgressHelper from "@livekit/egress-sdk";
import { useEgressRoom, type EgressRoomState } from "@/hooks/use-egress-room";
import type { EgressLayout as Layout } from "@/lib/egress/schema";
import { useProgram } from "@/hooks/use-program";
import { useProgramFeed, type ProgramFeed } from "@/hooks/use-program-feed";
import { useWideTiles } from "@/hooks/use-wide-tiles";
import { ProgramStage, initial } from "@/components/program/program-stage";
import { isPerson, type Shot } from "@/lib/room-state";
import type { ProgramTransition } from "@/lib/program-transition";
import { channelOfRoom } from "@/lib/schemas";

/** With nobody on program, the slate is the picture: start recording it after this. */
export const SLATE_START_MS = 2000;
/** Start anyway after this long, so a stalled track can't keep Egress waiting. */
export const MAX_START_WAIT_MS = 10000;
const MAX_STRIP_TILES = 5;

type Recording = "waiting" | "started";

export function EgressLayout({ transition = "cut" }: { transition?: ProgramTransition }) {
  const s = useEgressRoom();
  if (s.phase === "failed") {
    return (
      <main data-testid="egress-layout" data-phase="failed" className="flex h-dvh w-full items-center justify-center bg-black p-10 text-center">
        <div className="max-w-xl space-y-3">
          <p className="text-2xl font-semibold text-white">This page is drawn for LiveKit Egress</p>
          <p className="text-neutral-400">
            Egress opens it with <code>url</code>, <code>token</code> and <code>layout</code> in the query. Start a
            recording from the admin page instead.
          </p>
          <p className="text-sm text-neutral-400">{s.error}</p>
        </div>
      </main>
    );
  }

  if (!s.room) {
    // Connecting, or the room has ended: black, as the recording starts or ends.
    return (
      <main
        data-testid="egress-layout"
        data-phase={s.phase}
        data-layout={s.layout}
        data-recording="waiting"
        data-program=""
        className="relative h-dvh w-full overflow-hidden bg-black"
      />
    );
  }
  return (
    <RoomContext.Provider value={s.room}>
      <EgressStage room={s.room} phase={s.phase} layout={s.layout} transition={transition} />
    </RoomContext.Provider>
  );
}

function EgressStage({
  room,
  phase,
  layout,
  transition,
}: {
  room: Room;
  phase: EgressRoomState["phase"];
  layout: Layout;
  transition: ProgramTransition;
}) {
  // LiveKit's hooks re-render the stage on the room's participant and track events.
  const participants = useRemoteParticipants({ room });
  const program = useProgram(room);
  const feed = useProgramFeed(room, program);
  const tiles = useWideTiles(room, program);
  const wideWanted = program?.shot === "wide" && tiles.length > 0;
  // What the stage shows: it changes shot only once the incoming one has drawn, and the
  // lower third, name card and strip follow it, not the metadata.
  const [onScreen, setOnScreen] = useState<Shot>("speaker");
  const wideOn = onScreen === "wide";
  const stageRef = useRef<HTMLDivElement>(null);
  // ProgramStage cuts to a camera (or the grid) only once it has drawn a frame; until the
  // first such cut the slate stays up, so the recording never shows black between the two.
  const drawn = useFirstPicture(stageRef, feed?.track != null || wideWanted);
  const recording = useStartRecording(room, feed !== null || wideWanted, feed?.track != null || wideWanted, stageRef, drawn, wideWanted);

  const channel = channelOfRoom(room.name);
  const strip = layout === "program-strip" && !wideOn ? stripParticipants(participants, feed?.identity ?? null) : [];

  return (
    <main
      data-testid="egress-layout"
      data-phase={phase}
      data-layout={layout}
      data-recording={recording}
      data-program={feed?.identity ?? ""}
      data-shot={onScreen}
      className="relative h-dvh w-full overflow-hidden bg-black text-white select-none"
    >
      <div ref={stageRef} className="absolute inset-0">
        <ProgramStage
          feed={feed}
          shot={program?.shot}
          tiles={tiles}
          transition={transition}
          onShot={setOnScreen}
          clean
          tileNames
          fit="contain"
          showName={false}
        />
      </div>

      {(!feed && !wideWanted) || (!drawn && (feed?.track != null || wideWanted)) ? (
        <Slate channel={channel} people={participants.filter(isPerson).length} />
      ) : null}
      {feed && !feed.track && !wideOn ? <NameCard feed={feed} /> : null}
      {feed && !wideOn && (!feed.track || drawn) ? <LowerThird name={feed.name} channel={channel} raised={strip.length > 0} /> : null}
      {strip.length > 0 ? <Strip participants={strip} /> : null}

      {/* Everyone's voice: Egress records the page's audio, so the room's mix is the program sound. */}
      <RoomAudioRenderer />
    </main>
  );
}

/**
 * ProgramStage's picture is up: its visible video (marked data-role="program") with a
 * frame, or the wide shot's grid, which it shows only once its cameras have drawn.
 */
function pictureOnScreen(stage: HTMLElement | null, needFrame: boolean, wide = false): boolean {
  if (stage?.querySelector('[data-testid="wide-grid"][data-state="shown"]')) return true;
  // On a wide shot the picture is the grid: the speaker underneath, kept attached for
  // the way back, draws first and must not start the recording.
  if (wide) return false;
  const v = stage?.querySelector<HTMLVideoElement>('video[data-role="program"]');
  return !!v && (!needFrame || (v.videoWidth > 0 && v.readyState >= 2));
}

/** True from the first time ProgramStage shows a camera or the wide shot. */
function useFirstPicture(stageRef: React.RefObject<HTMLDivElement | null>, waiting: boolean): boolean {
  const [drawn, setDrawn] = useState(false);
  useEffect(() => {
    if (drawn || !waiting) return;
    let raf = 0;
    const poll = () => {
      if (pictureOnScreen(stageRef.current, false)) setDrawn(true);
      else raf = requestAnimationFrame(poll);
    };
    raf = requestAnimationFrame(poll);
    return () => cancelAnimationFrame(raf);
  }, [drawn, waiting, stageRef]);
  return drawn;
}

/** Log START_RECORDING once, when the first program frame has drawn or the slate stands. */
function useStartRecording(
  room: Room | null,
  /** someone is on program, or the wide shot is */
  hasFeed: boolean,
  /** …with a camera (or the grid) to wait for */
  hasTrack: boolean,
  stageRef: React.RefObject<HTMLDivElement | null>,
  drawn: boolean,
  /** the program is a wide shot (with cameras to show): only the grid starts it */
  wide: boolean,
): Recording {
  const [recording, setRecording] = useState<Recording>("waiting");
  const started = useRef(false);
  const connectedAt = useRef<number | null>(null);
  useEffect(() => {
    if (room && connectedAt.current === null) connectedAt.current = performance.now();
  }, [room]);

  useEffect(() => {
    if (!room || started.current) return;
    // A start scheduled two frames ahead must not fire once this run is over (the inner
    // frame's id is not kept): a passing state (a camera not yet subscribed) is no picture.
    let live = true;
    const start = () => {
      if (!live || started.current) return;
      started.current = true;
      EgressHelper.startRecording();
      setRecording("started");
    };
    const since = performance.now() - (connectedAt.current ?? performance.now());
    const fallback = setTimeout(start, Math.max(0, MAX_START_WAIT_MS - since));
    let slate: ReturnType<typeof setTimeout> | undefined;
    let raf = 0;
    if (!hasFeed) {
      slate = setTimeout(start, Math.max(0, SLATE_START_MS - since));
    } else if (!hasTrack) {
      // On program without a camera: the name card is the picture, already drawn.
      raf = requestAnimationFrame(() => requestAnimationFrame(start));
    } else {
      // ProgramStage cuts to a video (or the grid) only once it has drawn a frame; wait
      // for that cut and one more paint. `drawn` re-runs this once the slate has gone
      // for the picture.
      const poll = () => {
        if (drawn && pictureOnScreen(stageRef.current, true, wide)) raf = requestAnimationFrame(() => requestAnimationFrame(start));
        else raf = requestAnimationFrame(poll);
      };
      raf = requestAnimationFrame(poll);
    }
    return () => {
      live = false;
      clearTimeout(fallback);
      if (slate) clearTimeout(slate);
      cancelAnimationFrame(raf);
    };
  }, [room, hasFeed, hasTrack, stageRef, drawn, wide]);

  return recording;
}

interface StripEntry {
  participant: RemoteParticipant;
  identity: string;
  name: string;
  /** The live camera, if any. */
  camera: RemoteTrackPublication | null;
}

/** The other cameras, in join order (stable, so tiles don't jump around on a cut). */
function stripParticipants(participants: RemoteParticipant[], programIdentity: string | null): StripEntry[] {
  return participants
    .filter((p) => isPerson(p) && p.identity !== programIdentity)
    .sort((a, b) => (a.joinedAt?.getTime() ?? 0) - (b.joinedAt?.getTime() ?? 0))
    .slice(0, MAX_STRIP_TILES)
    .map((p) => {
      const pub = p.getTrackPublication(Track.Source.Camera);
      const camera = pub && !pub.isMuted && pub.videoTrack ? pub : null;
      return { participant: p, identity: p.identity, name: p.name || p.identity, camera };
    });
}

function Slate({ channel, people }: { channel: number | null; people: number }) {
  return (
    <div
      data-testid="egress-slate"
      className="absolute inset-0 z-20 flex flex-col items-center justify-center bg-[radial-gradient(ellipse_at_center,#1c1c22_0%,#050507_70%)]"
    >
      <p className="text-[2.2vh] font-semibold tracking-[0.4em] text-neutral-400 uppercase">Conference Camera</p>
      <p className="mt-[2vh] text-[11vh] leading-none font-bold tracking-tight">{channel ? `Channel ${channel}` : "Program"}</p>
      <div className="mt-[4vh] flex items-center gap-[1.2vh] text-[3vh] text-neutral-300">
        <span className="size-[1.4vh] animate-pulse rounded-full bg-neutral-400" aria-hidden="true" />
        {people > 0 ? "Waiting for someone to speak" : "Waiting for people to join"}
      </div>
    </div>
  );
}

function NameCard({ feed }: { feed: ProgramFeed }) {
  return (
    <div data-testid="egress-name-card" className="absolute inset-0 z-20 flex items-center justify-center bg-neutral-950">
      <span className="flex size-[28vh] items-center justify-center rounded-full bg-neutral-800 text-[12vh] font-semibold text-neutral-100 ring-1 ring-white/10">
        {initial(feed.name)}
      </span>
    </div>
  );
}

function LowerThird({ name, channel, raised }: { name: string; channel: number | null; raised: boolean }) {
  return (
    <div
      className={`pointer-events-none absolute left-[4vw] z-30 flex max-w-[70vw] items-stretch shadow-2xl shadow-black/60 ${raised ? "bottom-[25vh]" : "bottom-[7vh]"}`}
    >
      <div className="w-[0.9vh] bg-onair" aria-hidden="true" />
      <div className="bg-neutral-950/80 px-[2.6vh] py-[1.4vh] backdrop-blur-sm">
        <p data-testid="egress-lower-third" className="truncate text-[5vh] leading-tight font-semibold tracking-tight">
          {name}
        </p>
        {channel ? (
          <p className="mt-[0.4vh] text-[2.2vh] font-medium tracking-[0.25em] text-neutral-400 uppercase">Channel {channel}</p>
        ) : null}
      </div>
    </div>
  );
}

function Strip({ participants }: { participants: StripEntry[] }) {
  return (
    <div
      data-testid="egress-strip"
      className="absolute inset-x-0 bottom-0 z-30 flex justify-center gap-[1.2vw] bg-gradient-to-t from-black/70 via-black/30 to-transparent px-[4vw] pt-[6vh] pb-[3vh]"
    >
      {participants.map((p) => (
        <div
          key={p.identity}
          data-testid="egress-strip-tile"
          data-identity={p.identity}
          className="relative aspect-video w-[16vw] overflow-hidden rounded-[0.8vh] bg-neutral-900 ring-1 ring-white/15"
        >
          {p.camera ? (
            <VideoTrack
              trackRef={{ participant: p.participant, publication: p.camera, source: Track.Source.Camera }}
              playsInline
              className="absolute inset-0 h-full w-full object-cover"
            />
          ) : (
            <span className="absolute inset-0 flex items-center justify-center text-[5vh] font-semibold text-neutral-400">
              {initial(p.name)}
            </span>
          )}
          <span className="absolute inset-x-0 bottom-0 truncate bg-gradient-to-t from-black/80 to-transparent px-[1vh] pt-[2vh] pb-[0.6vh] text-[1.9vh] font-medium">
            {p.name}
          </span>
        </div>
      ))}
    </div>
  );
}
