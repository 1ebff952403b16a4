"use client";
/**
 * The page LiveKit Egress records: the director's program full-frame at the egress
 * size (1280×720 by default), a lower-third name, optionally a strip of the other
 * cameras, and a clean slate while nobody is on program. It follows only the
 * director's decision in the room metadata (useProgram), never a sort of its own.
 *
 * Egress starts encoding on START_RECORDING: logged once the first program frame is
 * on screen, or after SLATE_START_MS when nobody is on program (the slate is the
 * picture then). END_RECORDING comes from EgressHelper when the room ends.
 */
import { useEffect, useRef, useState } from "react";
import { RemoteAudioTrack, Track, type Participant, type Room, type VideoTrack } from "livekit-client";
import EgressHelper from "@livekit/egress-sdk";
import { useEgressRoom } from "@/hooks/use-egress-room";
import { useProgram } from "@/hooks/use-program";
import { programFeed, type ProgramFeed } from "@/hooks/use-program-feed";
import { useRoomTick } from "@/hooks/use-room-tick";
import { ProgramStage, initial } from "@/components/program/program-stage";
import { AudioTrack } from "@/components/viewer/audio-track";
import { channelOfRoom } from "@/lib/schemas";

/** With nobody on program, the slate is the picture: start recording it after this. */
export const SLATE_START_MS = 2000;
/** Start anyway after this long, so a stalled track can't keep Egress waiting. */
export const MAX_START_WAIT_MS = 10000;
const MAX_STRIP_TILES = 5;

type Recording = "waiting" | "started";

export function EgressLayout() {
  const s = useEgressRoom();
  const { room } = s;
  useRoomTick(room);
  const program = useProgram(room);
  const feed = programFeed(room, program);
  const stageRef = useRef<HTMLDivElement>(null);
  // ProgramStage cuts to a camera only once it has drawn a frame; until the first such
  // cut the slate stays up, so the recording never shows black between the two.
  const drawn = useFirstPicture(stageRef, feed?.track != null);
  const recording = useStartRecording(room, feed, stageRef, drawn);

  if (s.phase === "failed") {
    return (
      <main data-testid="egress-layout" data-phase="failed" className="flex h-dvh w-full items-center justify-center bg-black p-10 text-center">
        <div className="max-w-xl space-y-3">
          <p className="text-2xl font-semibold text-white">This page is drawn for LiveKit Egress</p>
          <p className="text-neutral-400">
            Egress opens it with <code>url</code>, <code>token</code> and <code>layout</code> in the query. Start a
            recording from the admin page instead.
          </p>
          <p className="text-sm text-neutral-600">{s.error}</p>
        </div>
      </main>
    );
  }

  const channel = room ? channelOfRoom(room.name) : null;
  const strip = s.layout === "program-strip" && room ? stripParticipants(room, feed?.identity ?? null) : [];

  return (
    <main
      data-testid="egress-layout"
      data-phase={s.phase}
      data-layout={s.layout}
      data-recording={recording}
      data-program={feed?.identity ?? ""}
      className="relative h-dvh w-full overflow-hidden bg-black text-white select-none"
    >
      <div ref={stageRef} className="absolute inset-0">
        <ProgramStage feed={feed} clean fit="contain" showName={false} />
      </div>

      {room && (!feed || (feed.track && !drawn)) ? <Slate channel={channel} people={visibleCount(room)} /> : null}
      {feed && !feed.track ? <NameCard feed={feed} /> : null}
      {feed && (!feed.track || drawn) ? <LowerThird name={feed.name} channel={channel} raised={strip.length > 0} /> : null}
      {strip.length > 0 ? <Strip participants={strip} /> : null}

      {room ? <RoomAudio room={room} /> : null}
    </main>
  );
}

/** True from the first time ProgramStage shows a camera (its visible video is marked data-role="program"). */
function useFirstPicture(stageRef: React.RefObject<HTMLDivElement | null>, waiting: boolean): boolean {
  const [drawn, setDrawn] = useState(false);
  useEffect(() => {
    if (drawn || !waiting) return;
    let raf = 0;
    const poll = () => {
      if (stageRef.current?.querySelector('video[data-role="program"]')) setDrawn(true);
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
  feed: ProgramFeed | null,
  stageRef: React.RefObject<HTMLDivElement | null>,
  drawn: boolean,
): Recording {
  const [recording, setRecording] = useState<Recording>("waiting");
  const started = useRef(false);
  const connectedAt = useRef<number | null>(null);
  useEffect(() => {
    if (room && connectedAt.current === null) connectedAt.current = performance.now();
  }, [room]);

  const hasFeed = feed !== null;
  const hasTrack = feed?.track != null;
  useEffect(() => {
    if (!room || started.current) return;
    const start = () => {
      if (started.current) return;
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
      // ProgramStage cuts to a video only once it has drawn a frame; wait for that cut
      // (the visible element is marked data-role="program") and one more paint.
      // `drawn` re-runs this once the slate has gone for the picture.
      const poll = () => {
        const v = stageRef.current?.querySelector<HTMLVideoElement>('video[data-role="program"]');
        if (drawn && v && v.videoWidth > 0 && v.readyState >= 2) raf = requestAnimationFrame(() => requestAnimationFrame(start));
        else raf = requestAnimationFrame(poll);
      };
      raf = requestAnimationFrame(poll);
    }
    return () => {
      clearTimeout(fallback);
      if (slate) clearTimeout(slate);
      cancelAnimationFrame(raf);
    };
  }, [room, hasFeed, hasTrack, stageRef, drawn]);

  return recording;
}

function isShown(p: Participant): boolean {
  // Hidden participants (the director, viewers, Egress itself) never reach this list;
  // agents are skipped in case one is not hidden.
  return !p.isAgent;
}

function visibleCount(room: Room): number {
  return [...room.remoteParticipants.values()].filter(isShown).length;
}

interface StripEntry {
  identity: string;
  name: string;
  track: VideoTrack | null;
}

/** The other cameras, in join order (stable, so tiles don't jump around on a cut). */
function stripParticipants(room: Room, programIdentity: string | null): StripEntry[] {
  return [...room.remoteParticipants.values()]
    .filter((p) => isShown(p) && p.identity !== programIdentity)
    .sort((a, b) => (a.joinedAt?.getTime() ?? 0) - (b.joinedAt?.getTime() ?? 0))
    .slice(0, MAX_STRIP_TILES)
    .map((p) => {
      const pub = p.getTrackPublication(Track.Source.Camera);
      const track = pub && !pub.isMuted && pub.videoTrack ? pub.videoTrack : null;
      return { identity: p.identity, name: p.name || p.identity, track };
    });
}

function Slate({ channel, people }: { channel: number | null; people: number }) {
  return (
    <div
      data-testid="egress-slate"
      className="absolute inset-0 z-20 flex flex-col items-center justify-center bg-[radial-gradient(ellipse_at_center,#1c1c22_0%,#050507_70%)]"
    >
      <p className="text-[2.2vh] font-semibold tracking-[0.4em] text-neutral-500 uppercase">Conference Camera</p>
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
          {p.track ? (
            <StripVideo track={p.track} />
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

function StripVideo({ track }: { track: VideoTrack }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    track.attach(el);
    return () => {
      track.detach(el);
    };
  }, [track]);
  return <video ref={ref} autoPlay playsInline muted className="absolute inset-0 h-full w-full object-cover" />;
}

/** Everyone's microphone: Egress records the page's audio, so the room's mix is the program sound. */
function RoomAudio({ room }: { room: Room }) {
  const tracks: { key: string; track: RemoteAudioTrack }[] = [];
  for (const p of room.remoteParticipants.values()) {
    for (const pub of p.audioTrackPublications.values()) {
      if (pub.source === Track.Source.Microphone && pub.audioTrack instanceof RemoteAudioTrack) {
        tracks.push({ key: `${p.identity}:${pub.trackSid}`, track: pub.audioTrack });
      }
    }
  }
  return (
    <>
      {tracks.map((t) => (
        <AudioTrack key={t.key} track={t.track} muted={false} />
      ))}
    </>
  );
}
