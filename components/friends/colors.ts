/** A stable colour per participant, shared by the name swatch, the bands and the sparklines. */
export function hueOf(identity: string): number {
  let h = 2166136261;
  for (let i = 0; i < identity.length; i++) h = Math.imul(h ^ identity.charCodeAt(i), 16777619);
  return (h >>> 0) % 360;
}

export function colorOf(identity: string, alpha = 1): string {
  return `hsl(${hueOf(identity)} 75% 60% / ${alpha})`;
}

/** dBov (0 loudest, 127 silence) to 0..1 for meters: 80 dBov and quieter is empty. */
export function meterFraction(dbov: number): number {
  return Math.max(0, Math.min(1, (80 - dbov) / 65));
}

export function clockTime(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });
}
