import { describe, expect, it } from "vitest";
import { appEnvProblem, DEV_API_KEY, DEV_API_SECRET, parseEnv } from "@/lib/env";

describe("parseEnv", () => {
  it("uses the dev key pair and the original defaults on the embedded default", () => {
    const e = parseEnv({});
    expect(e.LIVEKIT_API_KEY).toBe(DEV_API_KEY);
    expect(e.PORT).toBe(9000);
    expect([e.VIDEO_WIDTH, e.VIDEO_HEIGHT]).toEqual([640, 480]);
    expect(e.production).toBe(false);
  });

  it("refuses the dev pair, or no keys, in production", () => {
    expect(() => parseEnv({ NODE_ENV: "production" })).toThrow(/required when NODE_ENV=production/);
    expect(() =>
      parseEnv({ NODE_ENV: "production", LIVEKIT_API_KEY: DEV_API_KEY, LIVEKIT_API_SECRET: DEV_API_SECRET }),
    ).toThrow(/refused/);
    const e = parseEnv({ NODE_ENV: "production", LIVEKIT_API_KEY: "k1", LIVEKIT_API_SECRET: "s".repeat(40) });
    expect(e.production).toBe(true);
  });

  it("treats next start's NODE_ENV=production under npm start as the embedded default", () => {
    expect(parseEnv({ NODE_ENV: "production", CC_EMBEDDED: "1" }).LIVEKIT_API_KEY).toBe(DEV_API_KEY);
  });

  it("names each bad variable", () => {
    expect(() => parseEnv({ PORT: "http", VIDEO_WIDTH: "99999" })).toThrow(/PORT[\s\S]*VIDEO_WIDTH/);
    expect(() => parseEnv({ LIVEKIT_API_SECRET: "short" })).toThrow(/at least 32/);
  });
});

describe("blank values", () => {
  it("count as unset, so a copied .env.example works", () => {
    const e = parseEnv({ LIVEKIT_PUBLIC_URL: "", ADMIN_PASSWORD: "  ", PORT: "" });
    expect(e.LIVEKIT_PUBLIC_URL).toBeUndefined();
    expect(e.ADMIN_PASSWORD).toBeUndefined();
    expect(e.PORT).toBe(9000);
  });
});

describe("the app's admin password", () => {
  const prod = { NODE_ENV: "production", LIVEKIT_API_KEY: "k1", LIVEKIT_API_SECRET: "s".repeat(40) };
  it("is required in production, with a message that says what to do", () => {
    expect(appEnvProblem(parseEnv(prod))).toMatch(/ADMIN_PASSWORD is required when NODE_ENV=production/);
    expect(appEnvProblem(parseEnv({ ...prod, ADMIN_PASSWORD: "short" }))).toMatch(/at least 12/);
    // and an APP_PUBLIC_URL, so the egress layout URL never comes from request headers
    expect(appEnvProblem(parseEnv({ ...prod, ADMIN_PASSWORD: "a-long-enough-password" }))).toMatch(/APP_PUBLIC_URL is required/);
    expect(
      appEnvProblem(parseEnv({ ...prod, ADMIN_PASSWORD: "a-long-enough-password", APP_PUBLIC_URL: "https://app.example.com" })),
    ).toBeNull();
  });

  it("is optional on the embedded default (npm start generates one)", () => {
    expect(appEnvProblem(parseEnv({}))).toBeNull();
    expect(appEnvProblem(parseEnv({ NODE_ENV: "production", CC_EMBEDDED: "1" }))).toBeNull();
  });
});

describe("PROGRAM_TRANSITION", () => {
  it("is a cut unless set, and takes dissolve", () => {
    expect(parseEnv({}).PROGRAM_TRANSITION).toBe("cut");
    expect(parseEnv({ PROGRAM_TRANSITION: "dissolve" }).PROGRAM_TRANSITION).toBe("dissolve");
  });

  it("refuses anything else, naming the variable and the choices", () => {
    expect(() => parseEnv({ PROGRAM_TRANSITION: "wipe" })).toThrow(/PROGRAM_TRANSITION: PROGRAM_TRANSITION must be one of cut, dissolve/);
    expect(() => parseEnv({ PROGRAM_TRANSITION: "Dissolve" })).toThrow(/PROGRAM_TRANSITION/);
  });
});
