import { TrackSource } from "livekit-server-sdk";
import { describe, expect, it } from "vitest";
import { DIRECTOR_PERMISSIONS, participantGrant, recorderGrant, viewerGrant } from "@/lib/livekit/grants";

describe("grants", () => {
  it("a participant publishes only camera and microphone, and subscribes", () => {
    const g = participantGrant("channel-3");
    expect(g).toMatchObject({ room: "channel-3", roomJoin: true, canPublish: true, canSubscribe: true, hidden: false, recorder: false });
    expect(g.canPublishSources).toEqual([TrackSource.CAMERA, TrackSource.MICROPHONE]);
  });

  it("a viewer is hidden and subscribe-only", () => {
    const g = viewerGrant("channel-9");
    expect(g).toMatchObject({ room: "channel-9", roomJoin: true, canPublish: false, canSubscribe: true, hidden: true, recorder: false });
    expect(g.canPublishSources).toEqual([]);
  });

  it("the recorder (Egress, the layout page) is hidden, subscribe-only and marked as a recorder", () => {
    const g = recorderGrant("channel-4");
    expect(g).toMatchObject({ room: "channel-4", roomJoin: true, canPublish: false, canSubscribe: true, hidden: true, recorder: true });
    expect(g.canPublishSources).toEqual([]);
  });

  it("none of them sends data, sets its own metadata, or is a room admin", () => {
    for (const g of [participantGrant("channel-1"), viewerGrant("channel-1"), recorderGrant("channel-1")]) {
      expect(g).toMatchObject({ canPublishData: false, canUpdateOwnMetadata: false, roomAdmin: false, roomCreate: false, roomList: false });
    }
  });

  it("each grant is scoped to its own room", () => {
    expect(participantGrant("channel-1").room).not.toBe(participantGrant("channel-2").room);
  });

  it("the director is hidden, publishes nothing, and may set its own attributes", () => {
    expect(DIRECTOR_PERMISSIONS).toEqual({
      canPublish: false,
      canSubscribe: true,
      canPublishData: false,
      canUpdateMetadata: true,
      hidden: true,
    });
  });
});
