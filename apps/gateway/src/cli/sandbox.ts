/**
 * The sandbox CLI, for a gateway running in sandbox mode on this machine:
 *   sandbox pay <invoiceId> [--partial|--twice|--rbf] [--drop-callbacks]   pay the invoice's address through the simulator
 *   sandbox reconcile <invoiceId>                        ask the provider now (POST /v1/invoices/:id/reconcile)
 *   sandbox token                                        print the API token the sandbox gateway accepts
 * It finds the gateway through `DATA_DIR/sandbox.json` (default ./.data), written at start-up.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const USAGE = 'usage: sandbox pay <invoiceId> [--partial|--twice|--rbf] [--drop-callbacks]\n       sandbox reconcile <invoiceId>\n       sandbox token';
const DROP = '--drop-callbacks';
const MODES: Readonly<Record<string, string>> = { '--partial': 'partial', '--twice': 'twice', '--rbf': 'rbf' };

interface SandboxFile {
  readonly url: string;
  readonly token: string;
}

function readSandboxFile(): SandboxFile {
  const path = join(process.env['DATA_DIR'] || './.data', 'sandbox.json');
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as SandboxFile;
  } catch {
    return fail(`no sandbox gateway found (${path} is missing): start it first with pnpm --filter @cryptopay/gateway start`);
  }
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

async function pay(invoiceId: string, flags: readonly string[]): Promise<void> {
  const dropCallbacks = flags.includes(DROP);
  const modes = flags.filter((flag) => flag !== DROP);
  if (modes.some((flag) => !(flag in MODES)) || modes.length > 1) fail(USAGE);
  const mode = modes[0] ? MODES[modes[0]] : 'full';
  const { url, token } = readSandboxFile();
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const paid = await fetch(`${url}/sandbox/invoices/${encodeURIComponent(invoiceId)}/pay`, { method: 'POST', headers, body: JSON.stringify({ mode, ...(dropCallbacks ? { dropCallbacks } : {}) }) }).catch(() =>
    fail(`the sandbox gateway at ${url} does not answer: is it running?`),
  );
  const result = await paid.text();
  if (!paid.ok) fail(`payment refused (HTTP ${paid.status}): ${result}`);
  process.stdout.write(`paid (${mode}${dropCallbacks ? ', callbacks dropped' : ''}): ${result}\n`);
  await printInvoice(url, headers, invoiceId);
}

async function reconcile(invoiceId: string): Promise<void> {
  const { url, token } = readSandboxFile();
  const headers = { Authorization: `Bearer ${token}` };
  const answer = await fetch(`${url}/v1/invoices/${encodeURIComponent(invoiceId)}/reconcile`, { method: 'POST', headers }).catch(() =>
    fail(`the sandbox gateway at ${url} does not answer: is it running?`),
  );
  const body = (await answer.json()) as { changed?: number; observed?: number };
  if (!answer.ok) fail(`reconciliation refused (HTTP ${answer.status}): ${JSON.stringify(body)}`);
  process.stdout.write(`reconciled: the provider reported ${body.observed} payment observation(s), ${body.changed} changed the invoice\n`);
  await printInvoice(url, headers, invoiceId);
}

async function printInvoice(url: string, headers: Record<string, string>, invoiceId: string): Promise<void> {
  const invoice = (await (await fetch(`${url}/v1/invoices/${encodeURIComponent(invoiceId)}`, { headers })).json()) as Record<string, unknown>;
  const summary = ['status', 'exceptionStatus', 'amountDue', 'amountPaid', 'amountConfirmed'].map((field) => `${field}=${String(invoice[field])}`);
  process.stdout.write(`invoice ${invoiceId}: ${summary.join(' ')}\n`);
}

const [command, ...args] = process.argv.slice(2);
if (command === 'token') process.stdout.write(`${readSandboxFile().token}\n`);
else if (command === 'pay' && args[0] && !args[0].startsWith('--')) await pay(args[0], args.slice(1));
else if (command === 'reconcile' && args[0] && args.length === 1) await reconcile(args[0]);
else fail(USAGE);
