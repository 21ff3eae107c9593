import { fileURLToPath } from 'node:url';

/** This package's directory, for test-servers' `GatewayProcess`: it runs the build as the `start` script does. */
export const GATEWAY_DIR = fileURLToPath(new URL('../..', import.meta.url));
