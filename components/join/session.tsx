"use client";
/**
 * The call screen: own camera + mic meter, the channel's other participants, the
 * controls, and the full-screen program view. Loaded as its own chunk (LiveKit).
 */
import { useRef, useEffect, type ReactNode } from "react";
import type { LocalAudioTrack, LocalVideoTrack } from "livekit-client";
import { useIsSpeaking, useRemoteParticipants } from "@livekit/components-react";
import { isPerson } from "@/lib/room-state";
import { useParticipantSession, type JoinParams } from "@/hooks/use-participant-session";
import type { ConnState } from "@/hooks/use-room-connection";
import { useProgram } from "@/hooks/use-program";
import { useProgramFeed } from "@/hooks/use-program-feed";
import { useFullscreenOverlay } from "@/hooks/use-fullscreen-overlay";
import { useWakeLock } from "@/hooks/use-wake-lock";
import type { Facing } from "@/lib/client/prefs";
import { ConnectionBadge } from "@/components/ui/connection-badge";
import { FailurePanel } from "@/components/ui/failure-panel";
import { Button } from "@/components/ui/button";
import { ExpandIcon, FlipCameraIcon, LeaveIcon, MicIcon, MicOffIcon } from "@/components/ui/icons";
import { MicMeter } from "@/components/join/mic-meter";
import type { LevelSource } from "@/hooks/use-mic-level";
import { ParticipantTile, TileFrame } from "@/components/join/participant-tile";
import { ProgramOverlay } from "@/components/join/program-overlay";
import { LocalVideo } from "@/components/join/local-video";

const UNREACHABLE_RETRY_MS = 5000;

export interface SessionProps extends JoinParams {
  onLeave: () => void;
  onRejoin: () => void;
}

export function Session(props: SessionProps) {
  const s = useParticipantSession(props);
  const { room } = s;
  // LiveKit's hooks re-render this screen on the room's participant and track events.
  const participants = useRemoteParticipants({ room });
  const program = useProgram(room);
  const fullscreen = useFullscreenOverlay();
  const feed = useProgramFeed(room, program);
  const selfSpeaking = useIsSpeaking(room.localParticipant);
  // In the call (or healing or ended), as opposed to still joining or failed.
  const joined = s.state !== "connecting" && s.failure === null;
  // Joined (live or reconnecting): keep the screen on; leaving unmounts and releases.
  const wakeLock = useWakeLock(s.state === "connected" || s.state === "reconnecting");

  // LiveKit (or the app) didn't answer the join: it may be restarting (npm start
  // restarts a crashed one within seconds), so try again by ourselves, as /viewer does.
  // (The parent passes a new onRejoin on every render; the timer must not restart.)
  const unreachable = s.failure?.kind === "unreachable";
  const rejoin = useRef(props.onRejoin);
  useEffect(() => {
    rejoin.current = props.onRejoin;
  });
  useEffect(() => {
    if (!unreachable) return;
    const t = setTimeout(() => rejoin.current(), UNREACHABLE_RETRY_MS);
    return () => clearTimeout(t);
  }, [unreachable]);

  const leave = () => {
    fullscreen.exit();
    s.leave();
    props.onLeave();
  };

  // Hidden participants (director, viewers) are never sent to us; isPerson's other
  // checks are belt and braces in case a director is ever deployed without the hidden grant.
  const remotes = participants.filter(isPerson);
  const selfOnAir = !!s.identity && program?.program === s.identity;

  return (
    <div className="flex h-dvh flex-col bg-neutral-950" data-testid="session" data-wake-lock={wakeLock}>
      <header className="flex shrink-0 items-center gap-3 border-b border-white/5 px-4 pt-[max(0.75rem,env(safe-area-inset-top))] pb-3">
        <div className="min-w-0 flex-1">
          <h1 className="truncate text-base leading-tight font-semibold text-white">Channel {props.channel}</h1>
          <p className="truncate text-xs text-neutral-400">
            {joined ? `${remotes.length + 1} ${remotes.length === 0 ? "person" : "people"} · ${props.name}` : props.name}
          </p>
        </div>
        <ConnectionBadge state={s.state} />
      </header>

      {s.state === "reconnecting" ? (
        <div role="status" className="shrink-0 bg-amber-500/15 px-4 py-2 text-center text-sm text-amber-200">
          Connection interrupted — reconnecting…
        </div>
      ) : null}

      <main className="min-h-0 flex-1 overflow-y-auto px-3 py-3 sm:px-5 sm:py-5">
        {s.failure?.kind === "unsupported" ? (
          <div className="flex min-h-full flex-col items-center justify-center gap-4 p-2">
            <FailurePanel failure={s.failure} onRetry={props.onRejoin}>
              <Button variant="secondary" onClick={props.onLeave} className="flex-1">
                Back
              </Button>
            </FailurePanel>
            <DeviceCheck camera={s.camera} mic={s.mic} facing={s.facing} muted={s.muted} />
          </div>
        ) : s.failure ? (
          <div className="flex min-h-full items-center justify-center p-2">
            <FailurePanel failure={s.failure} onRetry={props.onRejoin}>
              <Button variant="secondary" onClick={props.onLeave} className="flex-1">
                Change name or channel
              </Button>
            </FailurePanel>
          </div>
        ) : (
          <div
            className={`grid gap-2 sm:grid-cols-[repeat(auto-fill,minmax(17rem,1fr))] sm:gap-3 [@media(max-height:500px)]:grid-cols-[repeat(auto-fill,minmax(11rem,1fr))] ${
              remotes.length <= 1 ? "grid-cols-1 landscape:grid-cols-2" : "grid-cols-2"
            }`}
          >
            <LocalTile
              camera={s.camera}
              facing={s.facing}
              published={s.cameraPublished}
              name={props.name}
              muted={s.muted}
              onAir={selfOnAir}
              speaking={selfSpeaking && !s.muted}
              connecting={s.state === "connecting"}
            />
            {remotes.map((p) => (
              <ParticipantTile key={p.identity} participant={p} onAir={program?.program === p.identity} />
            ))}
            {joined && remotes.length === 0 ? <EmptyHint channel={props.channel} /> : null}
          </div>
        )}
      </main>

      {!s.failure ? (
        <ControlBar
          state={s.state}
          muted={s.muted}
          canMute={s.mic !== null}
          mic={s.mic}
          levelFallback={joined ? room.localParticipant : null}
          onToggleMute={() => s.setMuted(!s.muted)}
          canFlip={s.canFlip && s.camera !== null}
          onFlip={s.flipCamera}
          onFullscreen={fullscreen.enter}
          onLeave={leave}
        />
      ) : null}

      {s.ended && !s.failure ? <EndedNotice message={s.ended} onRejoin={props.onRejoin} onLeave={props.onLeave} /> : null}

      {fullscreen.open && joined ? (
        <ProgramOverlay
          room={room}
          program={program}
          feed={feed}
          selfCamera={s.camera}
          mirrorSelf={s.facing === "user"}
          onClose={fullscreen.exit}
          channel={props.channel}
        />
      ) : null}
    </div>
  );
}

function LocalTile({
  camera,
  facing,
  published,
  name,
  muted,
  onAir,
  speaking,
  connecting,
}: {
  camera: LocalVideoTrack | null;
  facing: Facing;
  published: boolean;
  name: string;
  muted: boolean;
  onAir: boolean;
  speaking: boolean;
  connecting: boolean;
}) {
  return (
    <TileFrame
      data-testid="local-tile"
      name={`${name} (you)`}
      speaking={speaking}
      onAir={onAir}
      micMuted={muted}
    >
      <SelfView camera={camera} published={published} facing={facing} />
      {connecting ? (
        <div className="absolute inset-0 flex items-center justify-center bg-neutral-900/60 text-xs text-neutral-300">
          Connecting…
        </div>
      ) : null}
    </TileFrame>
  );
}

/** The own camera, mirrored for the front camera (what people expect of a selfie view); the back camera shows the room the right way round. */
function SelfView({ camera, published, facing }: { camera: LocalVideoTrack | null; published: boolean; facing: Facing }) {
  return (
    <LocalVideo
      track={camera}
      data-testid="local-video"
      data-published={published ? "true" : "false"}
      data-facing={facing}
      className={`absolute inset-0 h-full w-full bg-neutral-900 object-cover ${facing === "user" ? "-scale-x-100" : ""}`}
    />
  );
}

/** Where no call is possible: the self-view and the meter, so the person sees the devices work. */
function DeviceCheck({
  camera,
  mic,
  facing,
  muted,
}: {
  camera: LocalVideoTrack | null;
  mic: LocalAudioTrack | null;
  facing: Facing;
  muted: boolean;
}) {
  if (!camera && !mic) return null;
  return (
    <section data-testid="device-check" aria-label="Camera and microphone check" className="w-full max-w-md">
      <p className="mb-2 text-sm text-neutral-400">Your camera and microphone work here; only the call can&apos;t start.</p>
      {camera ? (
        <div className="relative aspect-[4/3] overflow-hidden rounded-2xl bg-neutral-900 ring-1 ring-white/10">
          <SelfView camera={camera} published={false} facing={facing} />
        </div>
      ) : null}
      {mic ? (
        <div className="mt-2 flex min-h-11 items-center gap-3 rounded-xl bg-white/5 px-4 text-sm text-neutral-300 ring-1 ring-white/10 ring-inset">
          {muted ? <MicOffIcon className="size-5 text-rose-400" /> : <MicIcon className="size-5 text-emerald-400" />}
          <span className="flex-1">{muted ? "Microphone muted" : "Microphone"}</span>
          <MicMeter track={mic} muted={muted} />
        </div>
      ) : null}
    </section>
  );
}

function EmptyHint({ channel }: { channel: number }) {
  return (
    <div className="col-span-1 flex min-h-28 flex-col sm:aspect-[4/3] items-center justify-center gap-1 rounded-2xl border border-dashed border-white/10 p-4 text-center">
      <p className="text-sm font-medium text-neutral-300">Nobody else yet</p>
      <p className="text-xs text-neutral-400">Others join channel {channel} from their phones.</p>
    </div>
  );
}

function ControlBar({
  state,
  muted,
  canMute,
  mic,
  levelFallback,
  onToggleMute,
  canFlip,
  onFlip,
  onFullscreen,
  onLeave,
}: {
  state: ConnState;
  muted: boolean;
  canMute: boolean;
  mic: LocalAudioTrack | null;
  levelFallback: LevelSource | null;
  onToggleMute: () => void;
  canFlip: boolean;
  onFlip: () => void;
  onFullscreen: () => void;
  onLeave: () => void;
}) {
  return (
    <nav
      aria-label="Call controls"
      className="shrink-0 border-t border-white/5 bg-neutral-950/95 px-3 pt-3 pb-[max(0.75rem,env(safe-area-inset-bottom))] backdrop-blur"
    >
      <div className="mx-auto flex max-w-xl items-center gap-2">
        <button
          type="button"
          data-testid="mute-button"
          aria-pressed={muted}
          disabled={!canMute}
          onClick={onToggleMute}
          className={`flex min-h-12 flex-1 items-center justify-center gap-3 rounded-xl px-3 text-sm font-semibold transition-colors disabled:opacity-50 ${
            muted ? "bg-rose-600 text-white hover:bg-rose-500" : "bg-white/10 text-white ring-1 ring-white/10 ring-inset hover:bg-white/15"
          }`}
        >
          {muted ? <MicOffIcon className="size-5" /> : <MicIcon className="size-5" />}
          <span className="whitespace-nowrap">{muted ? "Muted" : "Mic on"}</span>
          <MicMeter track={mic} muted={muted} fallback={levelFallback} />
        </button>
        {canFlip ? (
          <BarButton testId="flip-camera" onClick={onFlip} label="Switch between front and back camera" className={`px-3 ${QUIET}`}>
            <FlipCameraIcon className="size-5" />
          </BarButton>
        ) : null}
        <BarButton
          testId="fullscreen-button"
          onClick={onFullscreen}
          disabled={state === "connecting"}
          label="Show program full screen"
          className={`flex-1 gap-2 px-3 text-sm font-semibold disabled:opacity-50 ${QUIET}`}
        >
          <ExpandIcon className="size-5" />
          <span>Program</span>
        </BarButton>
        <BarButton
          testId="leave-button"
          onClick={onLeave}
          label="Leave channel"
          className="gap-2 bg-white/5 px-4 text-sm font-semibold text-rose-300 ring-1 ring-rose-500/30 ring-inset hover:bg-rose-600 hover:text-white"
        >
          <LeaveIcon className="size-5" />
          <span className="hidden sm:inline">Leave</span>
        </BarButton>
      </div>
    </nav>
  );
}

const QUIET = "bg-white/10 text-white ring-1 ring-white/10 ring-inset hover:bg-white/15";

/** A control bar button: 48 px tall (a thumb's size), its label for screen readers. */
function BarButton({
  testId,
  onClick,
  label,
  disabled,
  className,
  children,
}: {
  testId: string;
  onClick: () => void;
  label: string;
  disabled?: boolean;
  className: string;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      data-testid={testId}
      onClick={onClick}
      disabled={disabled}
      aria-label={label}
      className={`flex min-h-12 items-center justify-center rounded-xl ${className}`}
    >
      {children}
    </button>
  );
}

function EndedNotice({ message, onRejoin, onLeave }: { message: string; onRejoin: () => void; onLeave: () => void }) {
  return (
    <div className="fixed inset-0 z-40 flex items-center justify-center bg-black/70 p-5 backdrop-blur-sm">
      <div
        role="alertdialog"
        aria-labelledby="ended-title"
        data-testid="disconnected-notice"
        className="w-full max-w-sm rounded-2xl bg-neutral-900 p-5 ring-1 ring-white/10"
      >
        <h2 id="ended-title" className="text-base font-semibold text-white">
          Disconnected
        </h2>
        <p className="mt-1 text-sm text-neutral-300">{message}</p>
        <div className="mt-5 flex flex-wrap gap-2">
          <Button data-testid="rejoin-button" onClick={onRejoin} className="flex-1">
            Rejoin
          </Button>
          <Button variant="secondary" onClick={onLeave}>
            Back
          </Button>
        </div>
      </div>
    </div>
  );
}

