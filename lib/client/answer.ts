/**
 * A JSON API's answer as the browser reads it: the body as text first, so a proxy's
 * HTML error page never becomes a parse crash; the server's `{ error, code }` when
 * it sent one.
 */
export interface Answer {
  /** the parsed body, or null when it was empty or not JSON */
  body: unknown;
  /** the server's `error` message, when it sent one */
  error: string | null;
  /** the server's `code`, when it sent one */
  code: string | null;
  /** the body's fields when it is an object, else {} */
  fields: Record<string, unknown>;
}

export async function readAnswer(res: Response): Promise<Answer> {
  const text = await res.text().catch(() => "");
  let body: unknown = null;
  try {
    body = text ? (JSON.parse(text) as unknown) : null;
  } catch {
    body = null;
  }
  const fields = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  return {
    body,
    fields,
    error: typeof fields.error === "string" && fields.error ? fields.error : null,
    code: typeof fields.code === "string" ? fields.code : null,
  };
}
