import type { NetworkInterfaceInfo } from "node:os";
export function lanAddresses(
  ifaces?: NodeJS.Dict<Array<Pick<NetworkInterfaceInfo, "address" | "family" | "internal">>>,
  override?: string,
): string[];
