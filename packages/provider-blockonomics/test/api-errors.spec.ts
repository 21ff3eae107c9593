import { describe, expect, test } from '@jest/globals';
import { type ProviderHttpResponse } from '@cryptopay/provider-kit';
import { blockonomicsError } from '../src/mapping/api-errors.js';

/** A failed answer as the HTTP client hands it over. */
const answer = (status: number, text: string): ProviderHttpResponse => ({ status, headers: new Headers(), text, safeUrl: 'https://www.blockonomics.co/api/new_address' });
const errorFor = (status: number, text: string) => blockonomicsError(answer(status, text), 'new address', []);
const codeBody = (code: string) => `{"error": {"code": ${code}, "message": "Address generation failed"}}`;

describe('a failed Blockonomics answer, read into an error a merchant can act on', () => {
  test.each([
    ['999', 'rejected'],
    ['1000', 'gap-limit'],
    ['1014', 'gap-limit'],
    ['1015', 'rejected'],
    ['"1007"', 'gap-limit'],
    ['"01007"', 'rejected'],
    ['"1007x"', 'rejected'],
  ])('error code %s is %s: only 1000 to 1014, four digits, mean the gap limit', (code, kind) => {
    expect(errorFor(400, codeBody(code)).kind).toBe(kind);
  });

  test('reads the code at the top level when the error object has none', () => {
    expect(errorFor(400, '{"code": 1003, "error": {"message": "Address generation failed"}}').kind).toBe('gap-limit');
  });

  test('reads a code and message given at the top level only', () => {
    const error = errorFor(400, '{"code": 1003, "message": "Address generation failed"}');
    expect([error.kind, error.message]).toEqual(['gap-limit', expect.stringContaining(': new address: Address generation failed — ')]);
  });

  test('reads the message of the {"error": "…"} shape', () => {
    expect(errorFor(400, '{"error": "Could not find matching xpub"}').message).toContain('no Blockonomics store has this HTTP Callback URL');
  });

  test.each(['[1003]', '"Gap limit reached"', '{"error": {"code": true}}'])('a JSON body %s without a readable code or message is named by its HTTP status', (body) => {
    const error = errorFor(400, body);
    expect([error.kind, error.message]).toEqual(['rejected', 'blockonomics: the request was refused (HTTP 400): new address: HTTP 400']);
  });

  test.each(['Gap limit reached', 'please TOPUP', 'Please top up', 'no credit left'])('the message %j means the gap limit', (message) => {
    expect(errorFor(400, JSON.stringify({ message })).kind).toBe('gap-limit');
  });

  test('a refused API key says where to copy it from', () => {
    const error = errorFor(401, '{"message": "Unauthorized"}');
    expect([error.kind, error.message]).toEqual(['auth', 'blockonomics: new address: the API key was refused (HTTP 401); copy it again from Blockonomics > Stores > API Key']);
  });

  test('a body that is not JSON is named by its HTTP status', () => {
    expect(errorFor(502, '<html>Bad Gateway</html>').message).toBe('blockonomics: the service failed (HTTP 502): new address: HTTP 502');
  });

  test('cuts a detail longer than 200 characters, and only such a one', () => {
    expect(errorFor(400, JSON.stringify({ message: 'x'.repeat(200) })).message).toMatch(new RegExp(`: new address: x{200}$`));
    expect(errorFor(400, JSON.stringify({ message: 'x'.repeat(201) })).message).toMatch(new RegExp(`: new address: x{200}…$`));
  });
});
