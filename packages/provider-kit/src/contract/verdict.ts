/** A callback refused, with the status to answer and a reason that is safe to log and to return. */
export interface CallbackRefusal {
  readonly accepted: false;
  /** 400 malformed, 401 missing credentials, 403 wrong credentials, source or binding. */
  readonly status: 400 | 401 | 403;
  /** Never contains a secret. */
  readonly reason: string;
}

/** Whether a callback is authentic. */
export type CallbackVerdict = { readonly accepted: true } | CallbackRefusal;

export const ACCEPTED: CallbackVerdict = Object.freeze({ accepted: true });

export function rejected(status: 400 | 401 | 403, reason: string): CallbackRefusal {
  return { accepted: false, status, reason };
}
