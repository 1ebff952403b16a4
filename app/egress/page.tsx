import type { Metadata, Viewport } from "next";
import { EgressLayout } from "@/components/egress/egress-layout";

// The page LiveKit Egress records (customBaseUrl). Egress appends `url`, `token` and
// `layout`; the token in the query is the only credential, so the page needs no sign-in
// and shows nothing without one.
export const metadata: Metadata = {
  title: "Program out · Conference Camera",
  robots: { index: false, follow: false },
};

export const viewport: Viewport = { width: "device-width", initialScale: 1, themeColor: "#000000" };

export default function EgressPage() {
  return <EgressLayout />;
}
