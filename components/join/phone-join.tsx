"use client";
/**
 * "Join from a phone": a QR code of the phone URL (the LAN address over HTTPS when run
 * with `npm start`) with the channel from the form preselected, so people in the room
 * scan it instead of typing an IP address.
 */
import { useEffect, useId, useMemo, useState } from "react";
import { encode } from "uqr";
import { phoneJoinUrl } from "@/lib/public-url";
import { buttonClass } from "@/components/ui/button";
import { CloseIcon, PhoneIcon } from "@/components/ui/icons";

/** One SVG path of the dark modules: crisp at any size, no canvas. */
function qrPath(data: boolean[][]): string {
  let d = "";
  data.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (dark) d += `M${x} ${y}h1v1h-1z`;
    });
  });
  return d;
}

export function QrCode({ text, className = "", ...rest }: { text: string; className?: string } & Record<`data-${string}`, string>) {
  const { size, path } = useMemo(() => {
    const qr = encode(text, { ecc: "M", border: 0 });
    return { size: qr.size, path: qrPath(qr.data) };
  }, [text]);
  const q = 4; // the quiet zone scanners need, in modules
  return (
    <svg
      role="img"
      aria-label={`QR code: ${text}`}
      viewBox={`${-q} ${-q} ${size + 2 * q} ${size + 2 * q}`}
      shapeRendering="crispEdges"
      className={className}
      {...rest}
    >
      <rect x={-q} y={-q} width={size + 2 * q} height={size + 2 * q} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}

export function PhoneJoin({ baseUrl, channel, code = "" }: { baseUrl: string; channel: number | null; code?: string }) {
  const [open, setOpen] = useState(false);
  const titleId = useId();
  // The code the person entered (or arrived with) rides in the link, so a phone that
  // scans it joins without typing; the server never hands the code to a page.
  const url = phoneJoinUrl(baseUrl, channel, code || null);

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") setOpen(false);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [open]);

  return (
    <>
      <button
        type="button"
        data-testid="phone-join-button"
        onClick={() => setOpen(true)}
        className={buttonClass("ghost", "h-12 w-full text-sm")}
      >
        <PhoneIcon className="size-5" />
        Join from a phone
      </button>
      {open ? (
        <div
          className="fixed inset-0 z-50 flex items-center justify-center bg-black/75 p-4 backdrop-blur-sm"
          onClick={() => setOpen(false)}
        >
          <div
            role="dialog"
            aria-modal="true"
            aria-labelledby={titleId}
            data-testid="phone-join-dialog"
            onClick={(e) => e.stopPropagation()}
            className="flex max-h-full w-full max-w-sm flex-col items-center overflow-y-auto rounded-3xl bg-neutral-900 p-5 text-center ring-1 ring-white/10"
          >
            <div className="flex w-full items-start justify-between gap-3">
              <h2 id={titleId} className="pt-2 text-left text-base font-semibold text-white">
                Scan with the phone’s camera
              </h2>
              <button
                type="button"
                data-testid="phone-join-close"
                onClick={() => setOpen(false)}
                aria-label="Close"
                className="flex size-11 shrink-0 items-center justify-center rounded-full bg-white/10 text-white hover:bg-white/20"
              >
                <CloseIcon className="size-5" />
              </button>
            </div>
            <QrCode text={url} data-testid="phone-qr" className="mt-3 aspect-square w-full max-w-64 rounded-xl" />
            <p data-testid="phone-url" className="mt-3 font-mono text-sm break-all text-neutral-200">
              {url}
            </p>
            <p className="mt-3 text-xs leading-relaxed text-neutral-400">
              {channel !== null ? `Opens channel ${channel}. ` : ""}The phone must be on the same Wi-Fi. The first time,
              the browser warns about the certificate: choose “Advanced”, then continue.
            </p>
          </div>
        </div>
      ) : null}
    </>
  );
}
