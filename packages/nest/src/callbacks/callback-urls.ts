import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { mountedPaths } from '../http/route-bodies.js';
import { PAYMENTS_MODULE_OPTIONS } from '../payments.module-definition.js';
import { type PaymentsModuleOptions } from '../payments.options.js';
import { CALLBACKS_PATH } from './callbacks.controller.js';

const PROVIDER_PARAM = '/:provider';

/**
 * The URL a provider is given for its callbacks: the public URL and the callback route's path as the
 * app mounted it (its global prefix included), so what the provider calls is what the route serves.
 */
@Injectable()
export class CallbackUrls {
  private mounted: string | null = null;

  constructor(
    @Inject(HttpAdapterHost) private readonly host: HttpAdapterHost,
    @Inject(PAYMENTS_MODULE_OPTIONS) private readonly options: PaymentsModuleOptions,
  ) {}

  /** `PUBLIC_URL[/prefix]/v1/callbacks/<provider>`; the adapter appends its own query parameters. */
  forProvider(provider: string): string {
    return `${this.options.publicUrl.replace(/\/+$/, '')}${this.path()}/${provider}`;
  }

  /** `PUBLIC_URL[/prefix]/v1/callbacks/<provider>/<accountId>`: a merchant's own provider account. */
  forAccount(provider: string, accountId: string): string {
    return `${this.forProvider(provider)}/${accountId}`;
  }

  /** Found once the app serves requests; an app without HTTP (an application context) gets the path unprefixed. */
  private path(): string {
    if (this.mounted !== null) return this.mounted;
    const route = mountedPaths(this.host, `${CALLBACKS_PATH}${PROVIDER_PARAM}`)[0];
    if (route === undefined) return CALLBACKS_PATH;
    this.mounted = route.slice(0, -PROVIDER_PARAM.length);
    return this.mounted;
  }
}
