import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WebhookReceiver } from '@cryptopay/test-servers';
import request from 'supertest';
import { AUTH, DATABASES, usePaymentsApp } from './support/payments-app.js';

/** Webhook endpoints under merchants' scoped keys: each key manages its own merchant's endpoints only. */
describe.each(DATABASES)("merchants' webhook endpoints (%s)", (_name, databaseUrl) => {
  const harness = usePaymentsApp({ ...(databaseUrl ? { databaseUrl } : {}), merchants: { credentialKeys: `k1:${randomBytes(32).toString('base64')}` } });
  let receiver: WebhookReceiver;
  const http = () => request(harness().app.getHttpServer());
  const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

  async function merchantWithKeys(name: string): Promise<{ id: string; manager: string; invoicesOnly: string }> {
    const merchant = await http().post('/v1/merchants').set(AUTH).send({ name });
    expect(merchant.status).toBe(201);
    const id = (merchant.body as { id: string }).id;
    const key = async (scopes: string[]) => {
      const created = await http().post(`/v1/merchants/${id}/api-keys`).set(AUTH).send({ name: scopes.join(' '), scopes });
      expect(created.status).toBe(201);
      return (created.body as { key: string }).key;
    };
    return { id, manager: await key(['webhooks:manage']), invoicesOnly: await key(['invoices:read', 'invoices:write']) };
  }

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await receiver.close();
  });

  it("another merchant's key answers 404 for every route of an endpoint and does not list it; a key without webhooks:manage gets 403", async () => {
    const a = await merchantWithKeys('a');
    const b = await merchantWithKeys('b');
    const created = await http().post('/v1/webhook-endpoints').set(bearer(a.manager)).send({ url: receiver.url });
    expect(created.status).toBe(201);
    const { id, secret } = created.body as { id: string; secret: string };
    const path = `/v1/webhook-endpoints/${id}`;

    for (const [key, who] of [
      [b.manager, "merchant B's webhooks:manage key"],
      [AUTH.Authorization.slice('Bearer '.length), 'the platform token (the default merchant)'],
    ] as const) {
      const answers = [
        (await http().get(path).set(bearer(key))).status,
        (await http().patch(path).set(bearer(key)).send({ enabled: false })).status,
        (await http().post(`${path}/rotate-secret`).set(bearer(key))).status,
        (await http().post(`${path}/test`).set(bearer(key))).status,
        (await http().delete(path).set(bearer(key))).status,
      ];
      expect({ who, answers }).toEqual({ who, answers: [404, 404, 404, 404, 404] });
      const listed = await http().get('/v1/webhook-endpoints').set(bearer(key));
      expect((listed.body as { endpoints: { id: string }[] }).endpoints.map((endpoint) => endpoint.id)).not.toContain(id);
    }

    expect((await http().get('/v1/webhook-endpoints').set(bearer(a.invoicesOnly))).status).toBe(403);
    expect((await http().get(path).set(bearer(a.invoicesOnly))).status).toBe(403);
    expect((await http().post('/v1/webhook-endpoints').set(bearer(a.invoicesOnly)).send({ url: receiver.url })).status).toBe(403);
    expect((await http().get('/v1/webhook-deliveries').set(bearer(a.invoicesOnly))).status).toBe(403);

    // Nothing above changed it: still enabled, its secret never rotated, and A's to list and remove.
    const own = await http().get(path).set(bearer(a.manager));
    expect(own.body).toMatchObject({ id, enabled: true });
    expect((await http().get('/v1/webhook-endpoints').set(bearer(a.manager))).body).toMatchObject({ endpoints: [{ id }] });
    expect(receiver.received).toEqual([]);
    const rotated = await http().post(`${path}/rotate-secret`).set(bearer(a.manager));
    expect((rotated.body as { secret: string }).secret).not.toBe(secret);
    expect((await http().delete(path).set(bearer(a.manager))).status).toBe(204);
  });
});
