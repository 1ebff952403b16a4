/**
 * The deployment's join code (JOIN_CODE), as this browser knows it: from the link it
 * opened (`?code=…`, which the QR code and phone link carry) or typed into the join
 * form, remembered in localStorage so a reload or the viewer needs it only once.
 * Browser-only; every access guarded (private mode throws).
 */
export const JOIN_CODE_KEY = "cc.joinCode.v1";
const CODE_RE = /^[A-Za-z0-9_-]{1,64}$/;

export function readJoinCode(): string {
  try {
    const fromUrl = new URLSearchParams(window.location.search).get("code")?.trim();
    if (fromUrl && CODE_RE.test(fromUrl)) {
      saveJoinCode(fromUrl);
      return fromUrl;
    }
    const stored = window.localStorage.getItem(JOIN_CODE_KEY);
    return stored && CODE_RE.test(stored) ? stored : "";
  } catch {
    return "";
  }
}

export function saveJoinCode(code: string): void {
  try {
    const c = code.trim();
    if (c && CODE_RE.test(c)) window.localStorage.setItem(JOIN_CODE_KEY, c);
    else window.localStorage.removeItem(JOIN_CODE_KEY);
  } catch {
    // storage disabled: the code is asked for again next time
  }
}

/** How a join-code field behaves: no autofill, autocapitalisation or spelling help. */
export const JOIN_CODE_INPUT = { autoComplete: "off", autoCapitalize: "none", spellCheck: false, maxLength: 64 } as const;
