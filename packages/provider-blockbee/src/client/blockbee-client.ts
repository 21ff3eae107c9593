// Temporary: src/config (owned by another branch right now) still imports the default API URL from
// here. Delete this file once its import points at ../api-client.js.
export { BLOCKBEE_API_URL } from '../api-client.js';
