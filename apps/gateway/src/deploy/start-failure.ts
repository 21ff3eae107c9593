/** The error and its cause: "the database is unavailable (terminated)" alone hides what the server (or a pooler) said. */
export function startFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error && !error.message.includes(error.cause.message) ? `: ${error.cause.message}` : '';
  return error.message + cause;
}
