import { createServer } from 'node:http';
import { connect } from 'node:net';
import { describe, expect, it } from '@jest/globals';
import { freePort, listenOnFreePort } from '../src/index.js';

describe('free ports', () => {
  it('starts a server on a port of its own and says which', async () => {
    const server = createServer((_request, response) => response.end('here'));
    const port = await listenOnFreePort(server);
    try {
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('here');
    } finally {
      await new Promise((closed) => server.close(closed));
    }
  });

  it('finds a port nobody listens on', async () => {
    const port = await freePort();
    const refused = await new Promise<string>((settle) => {
      const socket = connect(port, '127.0.0.1', () => settle('connected'));
      socket.once('error', (error: NodeJS.ErrnoException) => settle(error.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
  });
});
