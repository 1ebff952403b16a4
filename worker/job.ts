/**
 * One director job = one room. LiveKit's agent dispatch starts it in a job process
 * of the worker (worker/main.ts) when a channel room is created or reconciled.
 */
import { AutoSubscribe, defineAgent, type JobContext } from "@livekit/agents";
import { createPolicy } from "@/lib/switching";
import { channelOfRoom } from "@/lib/schemas";
import { checkDuplicates } from "./dedupe";
import { roomServiceFor } from "./livekit-api";
import { RoomDirector } from "./room-director";
import { configForDebug, loadSettings } from "./settings";

const DEDUPE_EVERY_MS = 5000;

const log = (msg: string, fields: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ at: new Date().toISOString(), msg, ...fields }));

export default defineAgent({
  entry: async (ctx: JobContext) => {
    const settings = loadSettings();
    const roomName = ctx.job.room?.name ?? "";
    if (channelOfRoom(roomName) === null) {
      log("not a channel room; leaving", { room: roomName });
      return;
    }
    const rooms = roomServiceFor(settings.env);
    await ctx.connect(undefined, AutoSubscribe.AUDIO_ONLY);
    const self = ctx.room.localParticipant?.identity ?? "";

    const director = new RoomDirector(ctx.room, {
      policy: createPolicy(settings.switching),
      updateMetadata: async (room, metadata) => {
        await rooms.updateRoomMetadata(room, metadata);
      },
      configForDebug: configForDebug(settings.switching),
      log,
    });

    const dedupe = async () => {
      try {
        if (!(await checkDuplicates(rooms, roomName, self, log))) {
          log("another director holds this room; leaving", { room: roomName, self });
          director.stop();
        }
      } catch (err) {
        log("duplicate check failed", { room: roomName, error: String(err) });
      }
    };
    const first = setTimeout(dedupe, 1000);
    const every = setInterval(dedupe, DEDUPE_EVERY_MS);
    try {
      await director.run();
    } finally {
      clearTimeout(first);
      clearInterval(every);
      ctx.shutdown("room done");
    }
  },
});
