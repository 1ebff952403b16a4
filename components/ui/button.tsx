/** Buttons: every one at least 44 px tall, the smallest comfortable touch target. */
import type { ButtonHTMLAttributes } from "react";

type Variant = "primary" | "secondary" | "danger" | "ghost";

const VARIANTS: Record<Variant, string> = {
  primary: "bg-white text-neutral-950 hover:bg-neutral-200 disabled:bg-neutral-700 disabled:text-neutral-400",
  secondary: "bg-white/10 text-white ring-1 ring-inset ring-white/10 hover:bg-white/15",
  danger: "bg-rose-600 text-white hover:bg-rose-500",
  ghost: "text-neutral-300 hover:bg-white/10 hover:text-white",
};

export function buttonClass(variant: Variant = "primary", extra = ""): string {
  return `inline-flex min-h-11 items-center justify-center gap-2 rounded-xl px-4 text-sm font-semibold transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-400 disabled:cursor-not-allowed ${VARIANTS[variant]} ${extra}`;
}

export function Button({
  variant = "primary",
  className = "",
  type = "button",
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant }) {
  return <button type={type} className={buttonClass(variant, className)} {...rest} />;
}
