import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse, parseAllDocuments } from 'yaml';
import { DEPLOYMENT_DEFAULTS } from '../src/config/deployment-config.js';
import { GatewayConfig } from '../src/config/gateway-config.js';
import { GATEWAY_DIR } from './support/gateway-dir.js';

const ROOT = join(GATEWAY_DIR, '../..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

interface Probe {
  httpGet: { path: string; port: string };
  periodSeconds: number;
  failureThreshold: number;
}
interface Container {
  env: { name: string; value: string }[];
  ports: { name: string; containerPort: number }[];
  readinessProbe: Probe;
  livenessProbe: Probe;
  startupProbe: Probe;
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
}
interface Deployment {
  kind: string;
  spec: { strategy: { rollingUpdate: { maxUnavailable: number } }; template: { spec: { terminationGracePeriodSeconds: number; containers: Container[] } } };
}

function manifest<T>(file: string): T {
  const [document] = parseAllDocuments(read(`deploy/kubernetes/${file}`));
  return document?.toJS() as T;
}

describe('the Kubernetes example (deploy/kubernetes/)', () => {
  const deployment = manifest<Deployment>('deployment.yaml');
  const pod = deployment.spec.template.spec;
  const [gateway] = pod.containers;
  const env = Object.fromEntries((gateway?.env ?? []).map(({ name, value }) => [name, value]));
  const setting = (name: keyof typeof DEPLOYMENT_DEFAULTS) => Number(env[name] ?? DEPLOYMENT_DEFAULTS[name]);
  const preStopSleep = Number(gateway?.lifecycle?.preStop?.exec?.command.at(-1) ?? 0);

  it('sets only variables the gateway reads, with its shutdown defaults', () => {
    const known = new Set(Object.keys(new GatewayConfig()));
    expect(Object.keys(env).filter((name) => !known.has(name))).toEqual([]);
    for (const name of Object.keys(DEPLOYMENT_DEFAULTS) as (keyof typeof DEPLOYMENT_DEFAULTS)[]) expect(setting(name)).toBe(DEPLOYMENT_DEFAULTS[name]);
  });

  it('gives a stopping pod the time the gateway takes: the delay, then the in-flight timeout', () => {
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(preStopSleep + setting('SHUTDOWN_DELAY_SECONDS') + setting('SHUTDOWN_TIMEOUT_SECONDS'));
  });

  it('takes a draining pod out of rotation before its listener closes', () => {
    const readiness = gateway?.readinessProbe as Probe;
    expect(readiness.httpGet.path).toBe('/health/ready');
    expect(readiness.periodSeconds * readiness.failureThreshold).toBeLessThan(setting('SHUTDOWN_DELAY_SECONDS'));
    expect(gateway?.livenessProbe.httpGet.path).toBe('/health/live');
  });

  it('probes the admin port, which the Service does not expose, and rolls without losing capacity', () => {
    const admin = { name: 'admin', containerPort: Number(env['ADMIN_PORT']) };
    expect(gateway?.ports).toEqual([{ name: 'http', containerPort: Number(env['PORT'] ?? new GatewayConfig().PORT) }, admin]);
    // The kubelet probes the pod's IP: a loopback admin listener would fail every probe.
    expect(env['ADMIN_HOST']).toBe('0.0.0.0');
    for (const probe of [gateway?.readinessProbe, gateway?.livenessProbe, gateway?.startupProbe]) expect(probe?.httpGet.port).toBe('admin');
    const service = manifest<{ spec: { ports: { targetPort: string }[] } }>('service.yaml');
    expect(service.spec.ports.map(({ targetPort }) => targetPort)).toEqual(['http']);
    expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
    expect(manifest<{ kind: string }>('pdb.yaml').kind).toBe('PodDisruptionBudget');
    expect(manifest<{ kind: string }>('hpa.yaml').kind).toBe('HorizontalPodAutoscaler');
    expect(manifest<{ kind: string }>('service.yaml').kind).toBe('Service');
  });
});

interface Rule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: string };
  annotations: { summary: string; runbook: string };
}

describe('the Prometheus alerts (deploy/prometheus/alerts.yml)', () => {
  const { groups } = parse(read('deploy/prometheus/alerts.yml')) as { groups: { name: string; rules: Rule[] }[] };
  const rules = groups.flatMap((group) => group.rules);
  const operations = read('docs/operations.md');
  const sources = [
    read('packages/nest/src/observability/payments-metrics.ts'),
    readFileSync(join(GATEWAY_DIR, 'src/deploy/operator-metrics.ts'), 'utf8'),
  ].join('\n');

  it('has rules, each with an expression, a duration, a severity, a summary and a runbook', () => {
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      expect(rule).toMatchObject({ alert: expect.stringMatching(/^Cryptopay[A-Za-z]+$/), expr: expect.any(String), for: expect.stringMatching(/^\d+[smh]$/) });
      expect(['page', 'ticket']).toContain(rule.labels.severity);
      expect(rule.annotations.summary.length).toBeGreaterThan(0);
    }
  });

  it('names only metrics the gateway exports', () => {
    const named = new Set(rules.flatMap((rule) => [...rule.expr.matchAll(/\bcryptopay_[a-z_]+/g)].map(([name]) => name.replace(/_(bucket|count|sum)$/, ''))));
    expect([...named].filter((name) => !sources.includes(`name: '${name}'`))).toEqual([]);
  });

  it('links runbooks that exist in docs/operations.md', () => {
    const anchors = new Set([...operations.matchAll(/^#{2,3} (.+)$/gm)].map(([, title]) => anchor(title ?? '')));
    expect(rules.map((rule) => rule.annotations.runbook.replace(/^docs\/operations\.md#/, '')).filter((target) => !anchors.has(target))).toEqual([]);
  });
});

/** GitHub's heading anchor: lower case, punctuation dropped, spaces as hyphens. */
function anchor(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-');
}
