/**
 * The director's one decision, as every screen reads it. The director writes it into
 * the room's metadata (see worker/publish.ts for why metadata); browsers read it from
 * `room.metadata`, the server from RoomServiceClient.listRooms. Pure and shared.
 */
import { z } from "zod";

export const programStateSchema = z.object({
  /** identity on program, or null while nobody is */
  program: z.string().nullable(),
  /** display name of the program participant */
  name: z.string().nullable(),
  /** ms since the epoch when this participant went on program */
  since: z.number(),
  reason: z.string(),
  /** increases by one on every change; lets a screen drop a stale update */
  seq: z.number().int().nonnegative(),
  /** identity an admin pinned, or null */
  pinned: z.string().nullable().default(null),
});
export type ProgramState = z.infer<typeof programStateSchema>;

const metadataSchema = z.object({ director: programStateSchema }).loose();

/** Read the program out of a room's metadata string; null when absent or not ours. */
export function parseProgram(metadata: string | undefined | null): ProgramState | null {
  if (!metadata) return null;
  try {
    const parsed = metadataSchema.safeParse(JSON.parse(metadata));
    return parsed.success ? parsed.data.director : null;
  } catch {
    return null;
  }
}

/** Set one key of the room's JSON metadata, keeping every other key. */
export function withMetadataKey(metadata: string | undefined | null, key: string, value: unknown): string {
  let base: Record<string, unknown> = {};
  if (metadata) {
    try {
      const parsed: unknown = JSON.parse(metadata);
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) base = parsed as Record<string, unknown>;
    } catch {
      // Foreign, non-JSON metadata is replaced: the room's metadata is ours to manage.
    }
  }
  return JSON.stringify({ ...base, [key]: value });
}

/** Merge the program into existing room metadata, keeping any other keys. */
export function withProgram(metadata: string | undefined | null, state: ProgramState): string {
  return withMetadataKey(metadata, "director", state);
}
