import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../src/auth/role';
import { addressRefusal, checkTargetUrl, type TargetPolicy } from '../src/services/webhooks/target-address';
import {
  CreateWebhookEndpointDocument,
  SendTestWebhookDocument,
  WebhookDeliveriesDocument,
} from './__generated__/graphql';
import { createScratchDatabase, type ScratchDatabase } from './support/database';
import { startServerOn, startTestServer, type TestServer } from './support/test-server';
import { WebhookReceiver } from './support/webhook-receiver';

/**
 * Where webhooks may go (SSRF). Nothing here sends a request anywhere but loopback: the refused
 * targets are refused before any connection is made, which is what the tests check.
 */

describe('the address rule', () => {
  it('refuses private, loopback, link-local, unspecified, shared and metadata addresses, IPv4 and IPv6', () => {
    const refused = [
      '0.0.0.0',
      '10.1.2.3',
      '100.64.0.1',
      '100.127.255.254',
      '127.0.0.1',
      '127.8.9.10',
      '169.254.169.254',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.0.10',
      '224.0.0.1',
      '255.255.255.255',
      '::',
      '::1',
      '[::1]',
      'fc00::1',
      'fd12:3456:789a::1',
      'fe80::1',
      'febf::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:a9fe:a9fe',
      '::ffff:10.0.0.1',
      '64:ff9b::a00:1',
    ];
    expect(refused.filter((address) => addressRefusal(address) === null)).toEqual([]);
    expect(addressRefusal('169.254.169.254')).toBe('a link-local address');
    expect(addressRefusal('::1')).toBe('a loopback address');
  });

  it('lets public addresses through', () => {
    for (const address of [
      '8.8.8.8',
      '1.1.1.1',
      '172.32.0.1',
      '100.128.0.1',
      '2606:4700:4700::1111',
      '2a00:1450::1',
    ]) {
      expect(addressRefusal(address), address).toBeNull();
    }
  });

  it('checks URLs at creation: scheme, credentials, length, literal addresses (also in other notations), https in production', () => {
    const open: TargetPolicy = { httpsOnly: false, allowedHosts: [] };
    const production: TargetPolicy = { httpsOnly: true, allowedHosts: [] };
    const problem = (url: string, policy = open) => {
      const checked = checkTargetUrl(url, policy);
      return 'problem' in checked ? checked.problem : 'ok';
    };
    expect(problem('https://hooks.example.com/claims')).toBe('ok');
    expect(problem('http://hooks.example.com/claims')).toBe('ok');
    expect(problem('http://hooks.example.com/claims', production)).toBe('HTTPS_REQUIRED');
    expect(problem('https://hooks.example.com/claims', production)).toBe('ok');
    expect(problem('gopher://hooks.example.com/')).toBe('INVALID');
    expect(problem('https://a:b@hooks.example.com/')).toBe('INVALID');
    expect(problem('http://0x7f000001/')).toBe('ADDRESS_NOT_ALLOWED');
    expect(problem('http://2130706433/')).toBe('ADDRESS_NOT_ALLOWED');
    expect(problem('http://[::ffff:169.254.169.254]/')).toBe('ADDRESS_NOT_ALLOWED');
    expect(problem('http://127.0.0.1:8080/', { httpsOnly: false, allowedHosts: ['127.0.0.1'] })).toBe('ok');
  });
});

describe('a server without an allowlist', () => {
  let t: TestServer;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    t = await startTestServer();
    receiver = await WebhookReceiver.start();
  });

  afterAll(async () => {
    await receiver?.stop();
    await t?.stop();
  });

  it('refuses a loopback address at creation, and a host name resolving to loopback at delivery, before connecting', async () => {
    const agent = await t.agent();
    const literal = await agent.data(CreateWebhookEndpointDocument, { input: { url: receiver.url() } });
    expect(literal.createWebhookEndpoint.userErrors).toEqual([
      { field: ['input', 'url'], code: 'ADDRESS_NOT_ALLOWED', message: 'url names a loopback address' },
    ]);

    // A name is only known at delivery: it is resolved then, and refused.
    const named = await agent.data(CreateWebhookEndpointDocument, {
      input: { url: `http://localhost:${receiver.port}/hooks` },
    });
    expect(named.createWebhookEndpoint.userErrors).toEqual([]);
    const endpointId = named.createWebhookEndpoint.endpoint!.id;
    await agent.data(SendTestWebhookDocument, { input: { endpointId } });
    expect(await t.deliverWebhooks()).toBe(1);
    const { node } = await agent.data(WebhookDeliveriesDocument, { id: endpointId, first: 10 });
    const [delivery] = node && 'deliveries' in node ? node.deliveries.edges.map((edge) => edge.node) : [];
    expect(delivery).toMatchObject({ status: 'PENDING', attempts: 1, lastResponseStatus: null });
    expect(delivery.lastError).toMatch(
      /^refused: localhost resolves to (127\.0\.0\.1|::1), a loopback address$/,
    );
    expect(receiver.received).toEqual([]);
  });
});

describe('a production server', () => {
  let database: ScratchDatabase;
  let t: TestServer;

  beforeAll(async () => {
    database = await createScratchDatabase();
    t = await startServerOn(database.target, {
      env: { NODE_ENV: 'production', HOST: '127.0.0.1', WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' },
    });
  });

  afterAll(async () => {
    await t?.stop();
    await database?.drop();
  });

  it('accepts only https URLs', async () => {
    const seller = await t.as(Role.SELLER, 'sell-prod');
    const http = await seller.data(CreateWebhookEndpointDocument, {
      input: { url: 'http://127.0.0.1:9/hooks' },
    });
    expect(http.createWebhookEndpoint.userErrors).toEqual([
      { field: ['input', 'url'], code: 'HTTPS_REQUIRED', message: 'url must be an https URL' },
    ]);
    const https = await seller.data(CreateWebhookEndpointDocument, {
      input: { url: 'https://127.0.0.1:9/hooks' },
    });
    expect(https.createWebhookEndpoint.userErrors).toEqual([]);
  });
});
