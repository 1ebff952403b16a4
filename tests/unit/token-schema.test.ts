import { describe, expect, it } from "vitest";
import { channelOfRoom, fieldErrors, roomForChannel, tokenRequestSchema } from "@/lib/schemas";

const ok = { name: "Ann", channel: 3 };

describe("tokenRequestSchema", () => {
  it("accepts a name and channel, trims the name and defaults the role", () => {
    expect(tokenRequestSchema.parse({ name: "  Ann Lee ", channel: 20 })).toEqual({
      name: "Ann Lee",
      channel: 20,
      role: "participant",
    });
    expect(tokenRequestSchema.parse({ ...ok, role: "viewer" }).role).toBe("viewer");
    expect(tokenRequestSchema.parse({ name: "x".repeat(40), channel: 1 }).name).toHaveLength(40);
    expect(tokenRequestSchema.parse({ name: "Zoë 😀 O'Brien", channel: 1 }).name).toBe("Zoë 😀 O'Brien");
  });

  const bad: [string, unknown, string][] = [
    ["channel 0", { ...ok, channel: 0 }, "channel"],
    ["channel 21", { ...ok, channel: 21 }, "channel"],
    ["channel as a string", { ...ok, channel: "3" }, "channel"],
    ["fractional channel", { ...ok, channel: 2.5 }, "channel"],
    ["negative channel", { ...ok, channel: -1 }, "channel"],
    ["missing channel", { name: "Ann" }, "channel"],
    ["NaN channel", { ...ok, channel: Number.NaN }, "channel"],
    ["empty name", { ...ok, name: "" }, "name"],
    ["whitespace name", { ...ok, name: "  \t " }, "name"],
    ["41 characters", { ...ok, name: "x".repeat(41) }, "name"],
    ["control character", { ...ok, name: "Ann\u0000" }, "name"],
    ["newline", { ...ok, name: "Ann\nLee" }, "name"],
    ["C1 control", { ...ok, name: "Ann\u0085" }, "name"],
    ["markup", { ...ok, name: "<script>" }, "name"],
    ["name not a string", { ...ok, name: 42 }, "name"],
    ["missing name", { channel: 3 }, "name"],
    ["unknown role", { ...ok, role: "admin" }, "role"],
    ["extra key", { ...ok, hidden: true }, "body"],
  ];
  it.each(bad)("rejects %s, naming the field", (_what, input, field) => {
    const r = tokenRequestSchema.safeParse(input);
    expect(r.success).toBe(false);
    if (!r.success) expect(Object.keys(fieldErrors(r.error))).toContain(field);
  });

  it.each([null, [], "Ann", 3])("rejects a body that is not an object (%j)", (input) => {
    expect(tokenRequestSchema.safeParse(input).success).toBe(false);
  });
});

describe("room names", () => {
  it("maps channels to rooms and back, and ignores foreign rooms", () => {
    expect(roomForChannel(7)).toBe("channel-7");
    expect(channelOfRoom("channel-7")).toBe(7);
    expect(channelOfRoom("channel-20")).toBe(20);
    expect(channelOfRoom("channel-21")).toBeNull();
    expect(channelOfRoom("channel-0")).toBeNull();
    expect(channelOfRoom("lobby")).toBeNull();
    expect(channelOfRoom("channel-7x")).toBeNull();
  });
});
