/** The adapter's name: callbacks arrive at /v1/callbacks/blockonomics, delivery keys start with it. */
export const PROVIDER_NAME = 'blockonomics';
