import { setTimeout as sleep } from 'node:timers/promises';

/** The parameters of one simulated callback, as Blockonomics appends them to the store's URL. */
export interface CallbackParams {
  readonly status: -1 | 0 | 1 | 2;
  readonly addr: string;
  readonly value: bigint;
  readonly txid: string;
  readonly rbf?: 1 | 2;
  readonly crypto?: string;
}

export interface DeliveryAttempt {
  /** The HTTP status answered, or null when the request failed (refused, timed out). */
  readonly httpStatus: number | null;
  readonly error?: string;
}

export interface DeliveryRecord {
  /** The full URL called, secret included (the simulator's own memory, never printed by it). */
  readonly url: string;
  readonly params: CallbackParams;
  readonly attempts: DeliveryAttempt[];
  delivered: boolean;
}

export interface RetrySchedule {
  /** Retries after the first failed attempt (Blockonomics: 7). */
  readonly maxRetries: number;
  /** First retry delay in ms (Blockonomics: 4 s), doubled each time, then multiplied by `timeScale`. */
  readonly firstDelayMs: number;
  readonly timeScale: number;
  readonly attemptTimeoutMs: number;
}

/** The store URL with the callback parameters appended, in Blockonomics' order. */
export function callbackUrl(storeUrl: string, params: CallbackParams): string {
  const query = new URLSearchParams({ status: String(params.status), addr: params.addr, value: params.value.toString(), txid: params.txid });
  if (params.rbf !== undefined) query.append('rbf', String(params.rbf));
  if (params.crypto !== undefined) query.append('crypto', params.crypto);
  return `${storeUrl}${storeUrl.includes('?') ? '&' : '?'}${query.toString()}`;
}

/** The wait before each retry: 4 s, 8 s, 16 s … (Blockonomics' "exponential backoff of 4 seconds"), scaled. */
export function retryDelaysMs(schedule: RetrySchedule): number[] {
  return Array.from({ length: schedule.maxRetries }, (_, retry) => schedule.firstDelayMs * 2 ** retry * schedule.timeScale);
}

/** Delivers one callback as Blockonomics does: a GET, only 200 counts, anything else retried with backoff. */
export async function deliver(record: DeliveryRecord, schedule: RetrySchedule): Promise<void> {
  const delays = retryDelaysMs(schedule);
  for (let attempt = 0; attempt <= delays.length; attempt++) {
    if (attempt > 0) await sleep(delays[attempt - 1] ?? 0);
    const result = await attemptOnce(record.url, schedule.attemptTimeoutMs);
    record.attempts.push(result);
    if (result.httpStatus === 200) {
      record.delivered = true;
      return;
    }
  }
}

async function attemptOnce(url: string, timeoutMs: number): Promise<DeliveryAttempt> {
  try {
    const response = await fetch(url, { method: 'GET', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return { httpStatus: response.status };
  } catch (error) {
    const failure = error as { name?: unknown; cause?: { code?: unknown } } | null;
    const code = typeof failure?.cause?.code === 'string' ? failure.cause.code : String(failure?.name ?? 'network error');
    return { httpStatus: null, error: code };
  }
}
