/** Whether a callback is authentic (and, later, whether it belongs to the invoice it names). */
export type CallbackVerdict =
  | { readonly accepted: true }
  | {
      readonly accepted: false;
      /** 400 malformed, 401 missing credentials, 403 wrong credentials or source. */
      readonly status: 400 | 401 | 403;
      /** Safe to log and to return: never contains a secret. */
      readonly reason: string;
    };

export const ACCEPTED: CallbackVerdict = Object.freeze({ accepted: true });

export function rejected(status: 400 | 401 | 403, reason: string): CallbackVerdict {
  return { accepted: false, status, reason };
}
