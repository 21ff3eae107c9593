import { dirname } from 'node:path';
import { createRequire } from 'node:module';
import { GatewayProcess } from '@cryptopay/test-servers';
import { acknowledgedMeansStored } from './ack-audit.js';
import { Balancer } from './balancer.js';
import { Ledger } from './ledger.js';
import { ProviderSimulators, type SimulatorTimeScales } from './providers.js';
import { deleteCallbackClaims } from './redis-cleanup.js';
import { logFile, rememberSecrets } from './run-directory.js';
import { inParallel } from './parallel.js';

/** The gateway package (its build and `start` script), through this package's dependency on it. */
const GATEWAY_DIR = dirname(createRequire(import.meta.url).resolve('@cryptopay/gateway/package.json'));

export type Provider = 'blockonomics' | 'blockbee';

export interface FleetOptions {
  /** Names the schema and the log files. */
  readonly name: string;
  readonly instances: number;
  readonly redisUrl: string;
  readonly databaseUrl: string;
  readonly timeScales?: SimulatorTimeScales;
  /** Check at the balancer that every acknowledged callback's payment is already stored. */
  readonly auditAcknowledgements?: boolean;
  /** Extra gateway settings (e.g. BLOCKBEE_ALLOWED_IPS, LOG_LEVEL). */
  readonly env?: Readonly<Record<string, string>>;
  /** Flags for node itself (e.g. `--cpu-prof`) and the directory the instances run in. */
  readonly nodeArgs?: readonly string[];
  readonly cwd?: string;
}

export interface CreatedInvoice {
  readonly id: string;
  readonly provider: Provider;
  readonly address: string;
}

/**
 * Gateway instances as real processes sharing one Redis and one PostgreSQL schema, behind a
 * round-robin balancer that is their public URL, with both providers simulated.
 */
export class Fleet {
  private constructor(
    readonly options: FleetOptions,
    readonly simulators: ProviderSimulators,
    readonly balancer: Balancer,
    readonly ledger: Ledger,
    readonly gateways: GatewayProcess[],
  ) {}

  static async start(options: FleetOptions): Promise<Fleet> {
    const schema = `reliability_${options.name.replace(/[^a-z0-9]+/g, '_')}_${process.pid}`;
    const ledger = Ledger.connect(options.databaseUrl, schema);
    const simulators = await ProviderSimulators.start(options.timeScales);
    const balancer = await Balancer.start([], options.auditAcknowledgements ? acknowledgedMeansStored(ledger) : null);
    const fleet = new Fleet(options, simulators, balancer, ledger, []);
    rememberSecrets(simulators.secretValues());
    await Promise.all(Array.from({ length: options.instances }, (_, index) => fleet.startInstance(index)));
    balancer.route(fleet.gateways.map((gateway) => gateway.url));
    return fleet;
  }

  /** The gateway environment every instance shares (PORT aside). */
  env(): Record<string, string> {
    return {
      NODE_ENV: 'production',
      PUBLIC_URL: this.balancer.url,
      DATABASE_URL: this.options.databaseUrl,
      DATABASE_SCHEMA: this.ledger.schema,
      REDIS_URL: this.options.redisUrl,
      LOG_LEVEL: 'info',
      ...this.simulators.gatewayEnv(),
      ...this.options.env,
    };
  }

  /** Starts (or restarts) instance `index`, which then takes the place of the old one. */
  async startInstance(index: number): Promise<GatewayProcess> {
    const gateway = await GatewayProcess.start({
      packageDir: GATEWAY_DIR,
      env: this.env(),
      logFile: logFile(`${this.options.name}-gateway-${index}`),
      ...(this.options.nodeArgs ? { nodeArgs: this.options.nodeArgs } : {}),
      ...(this.options.cwd ? { cwd: this.options.cwd } : {}),
    });
    this.gateways[index] = gateway;
    return gateway;
  }

  get token(): string {
    return this.simulators.secrets.apiToken;
  }

  async createInvoice(provider: Provider, amount: string, via = this.balancer.url): Promise<CreatedInvoice> {
    const response = await fetch(`${via}/v1/invoices`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${this.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ provider, amount, currency: 'USD', orderId: `${this.options.name}-${provider}-${Math.random().toString(36).slice(2)}` }),
    });
    const text = await response.text();
    if (response.status !== 201) throw new Error(`invoice not created: ${response.status} ${text}`);
    // The API writes amounts as strings, so parsing its JSON loses nothing.
    const { id, address } = JSON.parse(text) as { id: string; address: string };
    return { id, provider, address };
  }

  /** `perProvider` invoices of each provider, created `parallel` at a time. */
  async createInvoices(perProvider: number, via = this.balancer.url, parallel = 8): Promise<CreatedInvoice[]> {
    const invoices: CreatedInvoice[] = [];
    const providers = Array.from({ length: perProvider * 2 }, (_, index): Provider => (index % 2 === 0 ? 'blockbee' : 'blockonomics'));
    await inParallel(providers, parallel, async (provider) => void invoices.push(await this.createInvoice(provider, '250.00', via)));
    return invoices;
  }

  /** Each invoice's amount due in base units, as stored. */
  async amountsDue(): Promise<Map<string, bigint>> {
    return new Map((await this.ledger.invoices()).map((invoice) => [invoice.id, BigInt(invoice.amountDue)]));
  }

  /** Stops everything, removes this fleet's Redis claims and schema, and records the secrets handed out. */
  async close(): Promise<void> {
    rememberSecrets(this.simulators.secretValues());
    await Promise.allSettled(this.gateways.map((gateway) => gateway.stop()));
    await this.balancer.close();
    await this.simulators.close();
    try {
      await deleteCallbackClaims(this.options.redisUrl, await this.ledger.deliveryKeys());
      await this.ledger.dropSchema();
    } finally {
      await this.ledger.close();
    }
  }
}
