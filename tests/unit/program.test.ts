import { describe, expect, it } from "vitest";
import { parsePin } from "@/lib/director-state";
import { parseProgram, withProgram, type ProgramState } from "@/lib/program";

const state: ProgramState = { program: "p_a", name: "Ann", since: 1000, reason: "speech", seq: 4, pinned: null };

describe("program in room metadata", () => {
  it("round-trips and keeps other keys", () => {
    const md = withProgram(JSON.stringify({ pin: { identity: "p_b", at: 5 } }), state);
    expect(parseProgram(md)).toEqual(state);
    expect(parsePin(md)).toEqual({ identity: "p_b", at: 5 });
  });

  it("replaces foreign non-JSON metadata", () => {
    expect(parseProgram(withProgram("hello", state))).toEqual(state);
  });

  it("reads nothing from empty, foreign or malformed metadata", () => {
    expect(parseProgram("")).toBeNull();
    expect(parseProgram(undefined)).toBeNull();
    expect(parseProgram("not json")).toBeNull();
    expect(parseProgram(JSON.stringify({ director: { program: 3 } }))).toBeNull();
    expect(parsePin(JSON.stringify({ pin: { identity: 1 } }))).toBeNull();
  });
});
