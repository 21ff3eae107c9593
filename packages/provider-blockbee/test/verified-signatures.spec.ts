import { generateKeyPairSync, sign } from 'node:crypto';
import { VerifiedSignatures } from '../src/verification/verified-signatures.js';

const pair = () => generateKeyPairSync('rsa', { modulusLength: 1024 });
const signed = (privateKey: ReturnType<typeof pair>['privateKey'], text: string) => {
  const data = Buffer.from(text);
  return { data, signature: sign('sha256', data, privateKey) };
};

describe('VerifiedSignatures', () => {
  const { publicKey, privateKey } = pair();

  it('accepts a verified pair again, and still refuses its signature over other bytes', () => {
    const signatures = new VerifiedSignatures();
    const { data, signature } = signed(privateKey, '{"uuid":"u-1","value_coin":"0.05"}');
    expect(signatures.verify(publicKey, data, signature)).toBe(true);
    expect(signatures.verify(publicKey, data, signature)).toBe(true);
    expect(signatures.verify(publicKey, Buffer.from('{"uuid":"u-1","value_coin":"5.00"}'), signature)).toBe(false);
  });

  it('does not take a remembered pair cut differently into signature and message', () => {
    const signatures = new VerifiedSignatures();
    const { data, signature } = signed(privateKey, 'abc');
    expect(signatures.verify(publicKey, data, signature)).toBe(true);
    expect(signatures.verify(publicKey, data.subarray(1), Buffer.concat([signature, data.subarray(0, 1)]))).toBe(false);
  });

  it('never remembers a refusal, and forgets everything when the key changes', () => {
    const signatures = new VerifiedSignatures();
    const { data, signature } = signed(privateKey, 'payload');
    const forged = Buffer.from(signature);
    forged[0] = (forged[0] ?? 0) ^ 1;
    expect(signatures.verify(publicKey, data, forged)).toBe(false);
    expect(signatures.verify(publicKey, data, forged)).toBe(false);
    expect(signatures.verify(publicKey, data, signature)).toBe(true);
    expect(signatures.verify(pair().publicKey, data, signature)).toBe(false); // rotated: checked against the new key
  });
});
