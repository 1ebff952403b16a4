/**
 * Least-privilege grants, one pure function per role. Unit-tested; the token route
 * and the director's worker options both come from here.
 */
import { TrackSource, type VideoGrant } from "livekit-server-sdk";


/** A participant publishes their camera and microphone only, and subscribes. */
export function participantGrant(room: string): VideoGrant {
  return {
    room,
    roomJoin: true,
    canPublish: true,
    canPublishSources: [TrackSource.CAMERA, TrackSource.MICROPHONE],
    canSubscribe: true,
    // Data, metadata and screen share are not part of the product; deny them.
    canPublishData: false,
    canUpdateOwnMetadata: false,
    hidden: false,
    roomAdmin: false,
    roomCreate: false,
    roomList: false,
    recorder: false,
  };
}

/** A viewer (projector, OBS) is hidden from the room and can only subscribe. */
export function viewerGrant(room: string): VideoGrant {
  return {
    room,
    roomJoin: true,
    canPublish: false,
    canPublishSources: [],
    canSubscribe: true,
    canPublishData: false,
    canUpdateOwnMetadata: false,
    hidden: true,
    roomAdmin: false,
    roomCreate: false,
    roomList: false,
    recorder: false,
  };
}

/**
 * What LiveKit Egress joins with to record the program: hidden, subscribe-only, and
 * marked as a recorder. Egress mints its own token with these grants; the tests mint
 * the same to open the layout page exactly as Egress does.
 */
export function recorderGrant(room: string): VideoGrant {
  return { ...viewerGrant(room), recorder: true };
}

/**
 * The director: hidden, subscribes to audio, publishes nothing. It may update its own
 * attributes (levels and debug state, which stay server-side because it is hidden).
 */
export const DIRECTOR_PERMISSIONS = {
  canPublish: false,
  canSubscribe: true,
  canPublishData: false,
  canUpdateMetadata: true,
  hidden: true,
} as const;

export const PARTICIPANT_IDENTITY_PREFIX = "p_";
export const VIEWER_IDENTITY_PREFIX = "v_";
