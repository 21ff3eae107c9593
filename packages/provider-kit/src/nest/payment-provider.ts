import { type DiscoverableDecorator, DiscoveryService } from '@nestjs/core';

/**
 * Marks a class as a payment provider adapter for `@cryptopay/nest`: the payments module finds every
 * instance of a class marked so among the app's providers, however a provider module provides it
 * (the class itself, a factory, a value), and registers it under its `name`. Put it on the class that
 * implements `ProviderAdapter`; nothing else — no token, no export — is needed to be discovered.
 * Discovery is Nest's own (`DiscoveryService.createDecorator`), so it needs a single copy of this
 * package in the app, as any Nest decorator does.
 */
export const PaymentProvider: DiscoverableDecorator<never> = DiscoveryService.createDecorator<never>();
