import { describe, expect, it } from "vitest";
import { parseTerminalQr, terminalQr } from "../../scripts/lib/terminal-qr.mjs";
import { decodeModules } from "../helpers/qr";

describe("the terminal QR code npm start prints", () => {
  it("decodes back to the phone URL", async () => {
    for (const url of ["https://192.168.1.20:9443", "https://10.0.0.5:9443", "https://my-laptop.local:19443"]) {
      const printed = await terminalQr(url);
      expect(printed).toContain("▀");
      expect(decodeModules(parseTerminalQr(printed))).toBe(url);
    }
  });
});
