export { freePort } from './free-port.js';
export { plainServer, RedisServerProcess } from './redis-server-process.js';
