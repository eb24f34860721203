import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../src/auth/role';
import { NotificationCategory } from '../src/entities/notification-category';
import type { DeliveredEvent } from '../src/services/events/delivered-event';
import { Loaders } from '../src/loaders/loaders';
import type { RequestContext } from '../src/server/request-context';
import { SLOW_CONSUMER_CLOSE_CODE } from '../src/services/events/claim-event-subscription.service';
import { FileClaimDocument, RecordOrderDocument } from './__generated__/graphql';
import { claimInput, seedMarketplace } from './support/fixtures';
import { startTestServer, TEST_NOW, type TestServer } from './support/test-server';
import { sleep, until } from './support/waiting';

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer({ SUBSCRIBER_BUFFER_LIMIT: '3' });
  await seedMarketplace(t);
});

afterAll(async () => {
  await t?.stop();
});

describe('a subscriber that does not keep up', () => {
  it('is closed with 4290 and the cursor to resume after, instead of buffering without bound', async () => {
    const closed: { code: number; reason: string }[] = [];
    const em = t.orm.em.fork();
    const ctx: RequestContext = {
      em,
      auth: { viewer: { role: Role.AGENT, subject: 'agent-slow' } },
      loaders: new Loaders(em),
      services: t.server.services,
      transport: { renew: () => undefined, close: (code, reason) => closed.push({ code, reason }) },
    };
    const events = t.server.services.claimEvents.claimStatusChanged(ctx, {})[Symbol.asyncIterator]();
    const first = events.next();
    await sleep(100);

    // A routed small claim of an uninsured seller makes three status changes, within the buffer.
    const agent = await t.agent();
    const customer = await t.as(Role.CUSTOMER, 'cust-a');
    const fileAndRoute = async (index: number) => {
      const { recordOrder } = await agent.data(RecordOrderDocument, {
        input: {
          externalRef: `ord-slow-${index}`,
          customerRef: 'cust-a',
          sellerRef: 'sell-a',
          productRef: 'prod-heater',
          quantity: 1,
          price: { amount: '89.99', currencyCode: 'USD' },
          purchasedAt: '2026-05-01T00:00:00Z',
        },
      });
      await customer.data(FileClaimDocument, { input: claimInput(recordOrder.order!.id) });
      await t.runJobs();
    };
    await fileAndRoute(0);
    const delivered = (await first).value as DeliveredEvent;
    expect(delivered.toStatus).toBe('SCREENING');

    // The subscriber stops reading; the next claims push its buffer past the limit.
    await fileAndRoute(1);
    await fileAndRoute(2);
    await sleep(300);

    expect(await events.next()).toEqual({ done: true, value: undefined });
    expect(closed).toEqual([
      {
        code: SLOW_CONSUMER_CLOSE_CODE,
        reason: JSON.stringify({ code: 'SLOW_CONSUMER', resumeAfter: delivered.position }),
      },
    ]);
  });
});

describe('a notification subscriber that does not keep up', () => {
  it('ends with SLOW_CONSUMER once more than the limit wait for it; its inbox keeps them all', async () => {
    const viewer = { role: Role.SELLER, subject: 'sell-slow-reader' };
    const live = t.server.services.notificationFeed.subscribe(viewer);
    // The first read joins the feed; it waits for a notification that never gets read in time.
    const first = live.next();
    await until(() => t.server.services.notificationFeed.subscriberCount === 1, 'the subscriber to join');
    const drafts = Array.from({ length: 4 }, (_, index) => ({
      recipient: viewer,
      category: NotificationCategory.POLICY_EXPIRING,
      title: `Reminder ${index}`,
      body: 'Your cover ends soon.',
      sourceKey: `slow-reader:${index}`,
    }));
    // One transaction: the four arrive together, one more than the buffer holds.
    await t.orm.em.fork().transactional((em) => t.server.services.notifications.stage(em, drafts, TEST_NOW));
    await expect(first).rejects.toMatchObject({ extensions: { code: 'SLOW_CONSUMER' } });
    expect(await live.next()).toEqual({ done: true, value: undefined });
    expect(t.server.services.notificationFeed.subscriberCount).toBe(0);
    const seller = await t.as(Role.SELLER, 'sell-slow-reader');
    const { data } = await seller.post({ query: '{ inbox { unreadCount } }' });
    expect(data).toEqual({ inbox: { unreadCount: 4 } });
  });
});
