/**
 * The one way a failure reaches the user: a titled message with a retry button (none
 * when retrying can't help: a browser without WebRTC).
 */
import type { ReactNode } from "react";
import type { Failure } from "@/lib/client/failures";
import { Button } from "@/components/ui/button";
import { AlertIcon } from "@/components/ui/icons";

export function FailurePanel({
  failure,
  onRetry,
  children,
}: {
  failure: Failure;
  onRetry: () => void;
  children?: ReactNode;
}) {
  return (
    <div
      role="alert"
      data-testid="connection-error"
      data-kind={failure.kind}
      className="w-full max-w-md rounded-2xl bg-neutral-900 p-5 ring-1 ring-rose-500/30"
    >
      <div className="flex items-start gap-3">
        <span className="mt-0.5 flex size-9 shrink-0 items-center justify-center rounded-full bg-rose-500/15 text-rose-400">
          <AlertIcon className="size-5" />
        </span>
        <div className="min-w-0">
          <h2 className="text-base font-semibold text-white">{failure.title}</h2>
          <p className="mt-1 text-sm leading-relaxed break-words text-neutral-300">{failure.message}</p>
        </div>
      </div>
      {failure.kind !== "unsupported" || children ? (
        <div className="mt-5 flex flex-wrap gap-2">
          {failure.kind !== "unsupported" ? (
            <Button data-testid="retry-button" onClick={onRetry} className="flex-1">
              Try again
            </Button>
          ) : null}
          {children}
        </div>
      ) : null}
    </div>
  );
}
