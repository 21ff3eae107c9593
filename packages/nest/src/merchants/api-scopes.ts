/** What a merchant's API key may do; platform tokens may do everything. */
export const API_SCOPES = ['invoices:read', 'invoices:write', 'provider-accounts:manage', 'webhooks:manage'] as const;

export type ApiScope = (typeof API_SCOPES)[number];

export function isApiScope(value: unknown): value is ApiScope {
  return typeof value === 'string' && (API_SCOPES as readonly string[]).includes(value);
}
