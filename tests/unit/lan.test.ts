import { describe, expect, it } from "vitest";
import { lanAddresses } from "../../scripts/lib/lan.mjs";

const v4 = (address: string, internal = false) => ({ address, family: "IPv4" as const, internal });

describe("lanAddresses", () => {
  it("keeps non-loopback IPv4 of real interfaces, private ranges first", () => {
    const ips = lanAddresses(
      {
        lo: [v4("127.0.0.1", true), { address: "::1", family: "IPv6", internal: true }],
        eth0: [v4("203.0.113.7")],
        wlan0: [v4("192.168.1.20"), { address: "fe80::1", family: "IPv6", internal: false }],
        docker0: [v4("172.17.0.1")],
        "br-1234": [v4("172.18.0.1")],
        en5: [v4("169.254.10.2")],
        tailscale0: [v4("100.64.0.2")],
      },
      "",
    );
    expect(ips).toEqual(["192.168.1.20", "203.0.113.7"]);
  });

  it("LAN_IP overrides detection", () => {
    expect(lanAddresses({ wlan0: [v4("192.168.1.20")] }, "10.0.0.5, 10.0.0.6")).toEqual(["10.0.0.5", "10.0.0.6"]);
  });

  it("is empty without a network", () => {
    expect(lanAddresses({ lo: [v4("127.0.0.1", true)] }, "")).toEqual([]);
  });
});
