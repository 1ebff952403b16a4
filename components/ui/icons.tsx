/** The few icons the product uses, inline so they cost no request. */
import type { ReactElement, ReactNode, SVGProps } from "react";

type IconProps = SVGProps<SVGSVGElement>;

/**
 * One icon in the shared 24×24 stroked style. `shape` is the drawing: a path's `d`, or
 * the elements themselves when it needs more than one path.
 */
function icon(shape: string | ReactNode): (p: IconProps) => ReactElement {
  const drawing = typeof shape === "string" ? <path d={shape} /> : shape;
  function Icon(p: IconProps) {
    return (
      <svg
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth={2}
        strokeLinecap="round"
        strokeLinejoin="round"
        aria-hidden="true"
        {...p}
      >
        {drawing}
      </svg>
    );
  }
  return Icon;
}

export const MicIcon = icon(
  <>
    <rect x="9" y="2" width="6" height="12" rx="3" />
    <path d="M5 10a7 7 0 0 0 14 0M12 17v5M8 22h8" />
  </>,
);

export const MicOffIcon = icon(
  "M2 2l20 20M15 9.3V5a3 3 0 0 0-5.7-1.3M9 9v1a3 3 0 0 0 5.1 2.1M19 10a7 7 0 0 1-1.2 3.9M5 10a7 7 0 0 0 11.2 5.6M12 17v5M8 22h8",
);

export const ExpandIcon = icon("M8 3H3v5M16 3h5v5M8 21H3v-5M16 21h5v-5");

export const CloseIcon = icon("M6 6l12 12M18 6L6 18");

export const LeaveIcon = icon("M10 17l5-5-5-5M15 12H3M21 3v18");

export const SpeakerIcon = icon("M11 5L6 9H2v6h4l5 4V5zM15.5 8.5a5 5 0 0 1 0 7M19 5a10 10 0 0 1 0 14");

export const SpeakerOffIcon = icon("M11 5L6 9H2v6h4l5 4V5zM22 9l-6 6M16 9l6 6");

export const CameraIcon = icon(
  <>
    <path d="M23 7l-7 5 7 5V7z" />
    <rect x="1" y="5" width="15" height="14" rx="2" />
  </>,
);

export const AlertIcon = icon("M12 9v4M12 17h.01M10.3 3.9L1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z");

export const PhoneIcon = icon(
  <>
    <rect x="6" y="2" width="12" height="20" rx="2.5" />
    <path d="M11 18h2" />
  </>,
);

export const FlipCameraIcon = icon(
  <>
    <path d="M3 8.5A2.5 2.5 0 0 1 5.5 6h1.7l1.5-2h6.6l1.5 2h1.7A2.5 2.5 0 0 1 21 8.5v9a2.5 2.5 0 0 1-2.5 2.5h-13A2.5 2.5 0 0 1 3 17.5z" />
    <path d="M9 12.5a3 3 0 0 1 5.2-2M15 12.5a3 3 0 0 1-5.2 2M14.5 8.5v2h-2M9.5 16.5v-2h2" />
  </>,
);
