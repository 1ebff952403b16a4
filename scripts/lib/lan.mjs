// @ts-check
// The machine's LAN addresses: where phones on the same Wi-Fi reach the app.
// Node built-ins only (runs before npm install); pure given its input, so it is unit-tested.
import { networkInterfaces } from "node:os";

// Interfaces that are not the room's network: containers, VMs, VPNs and tunnels.
const VIRTUAL = /^(docker|br-|veth|virbr|vmnet|vboxnet|utun|tun|tap|lxc|lxd|cni|flannel|cali|weave|zt|tailscale|wg|podman)/i;

/** @param {string} ip */
function rank(ip) {
  // Home and office Wi-Fi is nearly always one of these; prefer them when a machine
  // also has a public or carrier-grade address.
  if (ip.startsWith("192.168.")) return 0;
  if (ip.startsWith("10.")) return 1;
  const m = /^172\.(\d+)\./.exec(ip);
  if (m && Number(m[1]) >= 16 && Number(m[1]) <= 31) return 2;
  return 3;
}

/**
 * Non-loopback IPv4 addresses of physical-looking interfaces, best first.
 * `override` (LAN_IP, comma-separated) wins, so a machine with several networks can pick.
 * @param {NodeJS.Dict<Array<{ address: string; family: string | number; internal: boolean }>>} [ifaces]
 * @param {string} [override]
 * @returns {string[]}
 */
export function lanAddresses(ifaces = networkInterfaces(), override = process.env.LAN_IP) {
  if (override && override.trim()) {
    return override
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  }
  /** @type {string[]} */
  const found = [];
  for (const [name, addrs] of Object.entries(ifaces)) {
    if (VIRTUAL.test(name)) continue;
    for (const a of addrs ?? []) {
      const v4 = a.family === "IPv4" || a.family === 4;
      if (!v4 || a.internal) continue;
      if (a.address.startsWith("127.") || a.address.startsWith("169.254.")) continue;
      if (!found.includes(a.address)) found.push(a.address);
    }
  }
  return found.sort((x, y) => rank(x) - rank(y));
}
