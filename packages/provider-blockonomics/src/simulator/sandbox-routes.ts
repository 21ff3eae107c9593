import { type ServerResponse } from 'node:http';
import { asJsonObject, type ExactJson, type ExactJsonObject, jsonDecimalText, jsonField, JsonNumber, jsonString, parseJsonExact, redactUrl } from '@cryptopay/provider-kit';
import { CALLBACK_SECRET_PARAM } from '../wire/constants.js';
import { type BlockonomicsSimulator, type CallbackStatusValue, type SimulatedPayOptions, type TestCallbackOptions } from './simulator.js';

const STATUSES = new Set(['-1', '0', '1', '2']);

/**
 * `POST /sandbox/pay` `{"address", "value": "41667", "txid"?, "statuses"?: [0,1,2], "rbf"?: 1, "duplicates"?: 0, "deliver"?: false}`
 * pays an issued address and answers once the callbacks are delivered (`"deliver": false` drops
 * them: the payment is then only in the address's history, for reconciliation); `GET /sandbox/deliveries`
 * lists deliveries with the secret redacted; `POST /sandbox/test-callback` `{"url", "address"?, "value"?, "status"?}`
 * is Merchant > Logs > Test Bench: a test callback to the URL entered there.
 */
export async function handleSandbox(simulator: BlockonomicsSimulator, method: string, path: string, body: string, response: ServerResponse): Promise<void> {
  if (method === 'GET' && path === '/sandbox/deliveries') {
    const log = simulator.deliveries.map((record) => ({
      url: redactUrl(record.url, [CALLBACK_SECRET_PARAM]),
      status: record.params.status,
      delivered: record.delivered,
      attempts: record.attempts,
    }));
    return reply(response, 200, { deliveries: log });
  }
  if (method === 'POST' && path === '/sandbox/test-callback') {
    const request = readTestCallbackRequest(body);
    if (typeof request === 'string') return reply(response, 400, { message: request });
    const record = await simulator.sendTestCallback(request);
    return reply(response, 200, { delivered: record.delivered, attempts: record.attempts.length });
  }
  if (method !== 'POST' || path !== '/sandbox/pay') return reply(response, 404, { message: 'Not found' });
  const request = readPayRequest(body);
  if (typeof request === 'string') return reply(response, 400, { message: request });
  if (!simulator.issuedAddresses().includes(request.address)) return reply(response, 404, { message: 'unknown address' });
  const payment = await simulator.pay(request.address, request.value, request.options);
  reply(response, 200, { txid: payment.txid, delivered: payment.deliveries.every((record) => record.delivered), callbacks: payment.deliveries.length });
}

interface PayRequest {
  readonly address: string;
  readonly value: bigint;
  readonly options: SimulatedPayOptions;
}

function readPayRequest(body: string): PayRequest | string {
  let parsed: ExactJson;
  try {
    parsed = parseJsonExact(body);
  } catch {
    return 'the body must be JSON';
  }
  const object = asJsonObject(parsed);
  const address = object && jsonString(jsonField(object, 'address'));
  const value = object && jsonDecimalText(jsonField(object, 'value'));
  if (!object || !address) return 'address is required';
  if (!value || !/^[0-9]{1,30}$/.test(value)) return 'value must be a whole number of base units, e.g. "41667"';
  const statuses = readStatuses(object);
  if (typeof statuses === 'string') return statuses;
  const rbf = jsonDecimalText(jsonField(object, 'rbf'));
  const duplicates = jsonDecimalText(jsonField(object, 'duplicates'));
  const txid = jsonString(jsonField(object, 'txid'));
  return {
    address,
    value: BigInt(value),
    options: {
      ...(statuses ? { statuses } : {}),
      ...(rbf === '1' || rbf === '2' ? { rbf: rbf === '1' ? 1 : 2 } : {}),
      ...(duplicates && /^[0-9]$/.test(duplicates) ? { duplicates: Number.parseInt(duplicates, 10) } : {}),
      ...(txid ? { txid } : {}),
      ...(jsonField(object, 'deliver') === false ? { deliver: false } : {}),
    },
  };
}

function readTestCallbackRequest(body: string): TestCallbackOptions | string {
  let object: ExactJsonObject | undefined;
  try {
    object = asJsonObject(parseJsonExact(body));
  } catch {
    return 'the body must be JSON';
  }
  const url = object && jsonString(jsonField(object, 'url'));
  if (!object || !url || !/^https?:\/\//.test(url)) return 'url is required: the callback URL to test, http(s)';
  const address = jsonField(object, 'address');
  if (address !== undefined && !jsonString(address)) return 'address must be a string';
  const value = jsonField(object, 'value');
  const valueText = value === undefined ? undefined : jsonDecimalText(value);
  if (value !== undefined && (!valueText || !/^[0-9]{1,30}$/.test(valueText))) return 'value must be a whole number of base units, e.g. "41667"';
  const status = jsonField(object, 'status');
  if (status !== undefined && !(status instanceof JsonNumber && STATUSES.has(status.source))) return 'status must be -1, 0, 1 or 2';
  return {
    storeUrl: url,
    ...(typeof address === 'string' ? { address } : {}),
    ...(valueText ? { value: BigInt(valueText) } : {}),
    ...(status instanceof JsonNumber ? { status: Number.parseInt(status.source, 10) as CallbackStatusValue } : {}),
  };
}

function readStatuses(object: ExactJsonObject): CallbackStatusValue[] | undefined | string {
  const statuses = jsonField(object, 'statuses');
  if (statuses === undefined) return undefined;
  if (!Array.isArray(statuses) || !statuses.every((s) => s instanceof JsonNumber && STATUSES.has(s.source))) {
    return 'statuses must be a list of -1, 0, 1 and 2';
  }
  return statuses.map((s) => Number.parseInt((s as JsonNumber).source, 10) as CallbackStatusValue);
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
