import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Role } from '../src/auth/role';
import { issueToken } from '../src/auth/token-issuer';
import { Claim } from '../src/entities/claim.entity';
import { ClaimEvent } from '../src/entities/claim-event.entity';
import { localIdOf } from '../src/graphql/global-id';
import { FileClaimDocument, RecordOrderDocument } from './__generated__/graphql';
import { claimInput, insureSeller, seedMarketplace } from './support/fixtures';
import { ignoringClaimantHistory, screeningPolicyFile } from './support/screening-policy';
import { startTestServer, type TestServer } from './support/test-server';
import { sleep, until } from './support/waiting';

let t: TestServer;
const clients: Client[] = [];

beforeAll(async () => {
  // Many claims per customer make the traffic here; screening is tested in screening tests.
  t = await startTestServer({ SCREENING_POLICY_FILE: screeningPolicyFile(ignoringClaimantHistory) });
  await seedMarketplace(t);
});

afterAll(async () => {
  await Promise.all(clients.map((client) => Promise.resolve(client.dispose())));
  await t?.stop();
});

interface Message {
  cursor: string;
  claimId: string;
  type: string;
  sequence: number;
  toStatus: string | null;
  summary: string;
}

async function socketFor(role: Role, subject: string): Promise<Client> {
  const token = await issueToken(t.config.auth.jwtSecret!, { role, subject });
  const client = createClient({
    url: t.url.replace('http', 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
  clients.push(client);
  return client;
}

/** Subscribes and collects messages (or the first error) until stopped. */
function collect(client: Client, query: string, variables: Record<string, unknown> = {}) {
  const received: Message[] = [];
  const errors: unknown[] = [];
  const stop = client.subscribe<{ [field: string]: Message }>(
    { query, variables },
    {
      next: (result) => {
        if (result.errors) errors.push(...result.errors);
        const data = result.data && Object.values(result.data)[0];
        if (data) received.push(data);
      },
      error: (error) => errors.push(error),
      complete: () => undefined,
    },
  );
  return { received, errors, stop };
}

const CLAIM_EVENTS = `subscription($after: String) { claimEvents(after: $after) { cursor claimId type sequence toStatus summary } }`;
const STATUS_CHANGED = `subscription { claimStatusChanged { cursor claimId type sequence toStatus summary } }`;

async function newOrder(ref: string, customerRef = 'cust-a', sellerRef = 'sell-a'): Promise<string> {
  const { recordOrder } = await (
    await t.agent()
  ).data(RecordOrderDocument, {
    input: {
      externalRef: ref,
      customerRef,
      sellerRef,
      productRef: 'prod-heater',
      quantity: 1,
      price: { amount: '89.99', currencyCode: 'USD' },
      purchasedAt: '2026-05-01T00:00:00Z',
      deliveredAt: '2026-05-03T00:00:00Z',
    },
  });
  return recordOrder.order!.id;
}

async function committedPositions(): Promise<string[]> {
  const events = await t.orm.em.fork().find(ClaimEvent, {}, { orderBy: { id: 'asc' }, fields: ['id'] });
  return events.map((event) => event.id);
}

describe('claim event subscriptions', () => {
  it('replays every committed event after the cursor and continues live, with no gap and no duplicate, while events commit concurrently', async () => {
    const customer = await t.as(Role.CUSTOMER, 'cust-a');
    // History before the subscription.
    for (let index = 0; index < 3; index += 1) {
      await customer.data(FileClaimDocument, { input: claimInput(await newOrder(`ord-history-${index}`)) });
    }
    const orders = await Promise.all(Array.from({ length: 12 }, (_, index) => newOrder(`ord-live-${index}`)));
    const agentSocket = await socketFor(Role.AGENT, 'agent-stream');
    const stream = collect(agentSocket, CLAIM_EVENTS, { after: '0' });
    // Filings, screening and routing commit while the replay runs and afterwards.
    await Promise.all([
      ...orders.map((orderId) => customer.data(FileClaimDocument, { input: claimInput(orderId) })),
      t.runJobs(),
    ]);
    await t.runJobs();
    const committed = await committedPositions();
    await until(() => stream.received.length >= committed.length, `${committed.length} events`);
    await sleep(200);
    expect(stream.errors).toEqual([]);
    expect(stream.received.map((message) => message.cursor)).toEqual(committed);
    stream.stop();
  });

  it('resumes after a cursor without repeating what was delivered', async () => {
    const committed = await committedPositions();
    const resumeAfter = committed[4];
    const stream = collect(await socketFor(Role.AGENT, 'agent-resume'), CLAIM_EVENTS, { after: resumeAfter });
    await until(() => stream.received.length >= committed.length - 5, 'the rest of the history');
    expect(stream.received.map((message) => message.cursor)).toEqual(committed.slice(5));
    stream.stop();
  });

  it('replays to an insurer exactly the events of released claims it insures, from their release on', async () => {
    await insureSeller(t, 'sell-b', 'ins-replay');
    const customer = await t.as(Role.CUSTOMER, 'cust-b');
    const insured = await customer.data(FileClaimDocument, {
      input: claimInput(await newOrder('ord-replay-insured', 'cust-b', 'sell-b')),
    });
    const other = await customer.data(FileClaimDocument, {
      input: claimInput(await newOrder('ord-replay-other', 'cust-b', 'sell-a')),
    });
    await t.runJobs();
    // Filed but not yet screened: the seller side must not see it, in replay either.
    const unreleased = await customer.data(FileClaimDocument, {
      input: claimInput(await newOrder('ord-replay-unreleased', 'cust-b', 'sell-b')),
    });

    const stream = collect(await socketFor(Role.INSURER, 'ins-replay'), CLAIM_EVENTS, { after: '0' });
    const em = t.orm.em.fork();
    const insuredId = localIdOf(insured.fileClaim.claim!.id, 'Claim')!;
    const { releasedFromSequence } = await em.findOneOrFail(Claim, insuredId);
    // What came before the release (filing, screening) is not the seller side's to see.
    const events = await em.find(
      ClaimEvent,
      { claim: insuredId, sequence: { $gte: releasedFromSequence! } },
      { orderBy: { id: 'asc' } },
    );
    expect(releasedFromSequence).toBeGreaterThan(1);
    expect(events.length).toBeGreaterThan(2);
    await until(() => stream.received.length >= events.length, "the insured claim's history");
    await sleep(200);
    expect(stream.errors).toEqual([]);
    expect(stream.received.map((message) => [message.cursor, message.claimId])).toEqual(
      events.map((event) => [event.id, insured.fileClaim.claim!.id]),
    );
    expect(
      stream.received.some((message) =>
        [other, unreleased].some((filed) => message.claimId === filed.fileClaim.claim!.id),
      ),
    ).toBe(false);
    stream.stop();
  });

  it('delivers to each subscriber only the events of claims it may see', async () => {
    const customerB = collect(await socketFor(Role.CUSTOMER, 'cust-b'), STATUS_CHANGED);
    const sellerB = collect(await socketFor(Role.SELLER, 'sell-b'), STATUS_CHANGED);
    const sellerA = collect(await socketFor(Role.SELLER, 'sell-a'), STATUS_CHANGED);
    await sleep(100);
    const customerA = await t.as(Role.CUSTOMER, 'cust-a');
    const { fileClaim } = await customerA.data(FileClaimDocument, {
      input: claimInput(await newOrder('ord-scoped', 'cust-a', 'sell-a')),
    });
    await t.runJobs();
    const claimId = fileClaim.claim!.id;
    // sell-a holds no insurance: the concession is paid and a recovery waits for proof, so PAID is last.
    // The seller hears of the claim from its release on: screening is never its to see.
    await until(
      () => sellerA.received.some((message) => message.claimId === claimId && message.toStatus === 'PAID'),
      'the seller to see the routed claim',
    );
    expect(
      sellerA.received.filter((message) => message.claimId === claimId).map((message) => message.toStatus),
    ).toEqual(['APPROVED_CONCESSION', 'PAID']);
    expect(customerB.received.filter((message) => message.claimId === claimId)).toEqual([]);
    expect(sellerB.received.filter((message) => message.claimId === claimId)).toEqual([]);
    for (const stream of [customerB, sellerB, sellerA]) stream.stop();
  });

  it('redacts what each viewer may not see and scopes insurers, fraud experts and one-claim subscriptions', async () => {
    await insureSeller(t, 'sell-b', 'ins-b');
    const canary = 'CANARY-injury-7f3a';
    const withClaim = `subscription($claimId: ID) { claimStatusChanged(claimId: $claimId) { cursor claimId type sequence toStatus summary
      claim { injuryDetails { description } evidence { kind } } } }`;
    const raw = (client: Client, variables: Record<string, unknown> = {}) => {
      const payloads: string[] = [];
      const stop = client.subscribe(
        { query: withClaim, variables },
        {
          next: (result) => payloads.push(JSON.stringify(result)),
          error: (error) => payloads.push(JSON.stringify({ error: String(error) })),
          complete: () => undefined,
        },
      );
      return { payloads, stop };
    };
    const seller = raw(await socketFor(Role.SELLER, 'sell-b'));
    const insurer = raw(await socketFor(Role.INSURER, 'ins-b'));
    const otherInsurer = raw(await socketFor(Role.INSURER, 'ins-other'));
    const expert = raw(await socketFor(Role.FRAUD_EXPERT, 'expert-1'));
    const claimant = raw(await socketFor(Role.CUSTOMER, 'cust-b'));
    await sleep(100);

    const customerB = await t.as(Role.CUSTOMER, 'cust-b');
    const { fileClaim } = await customerB.data(FileClaimDocument, {
      input: claimInput(await newOrder('ord-redact', 'cust-b', 'sell-b'), {
        kinds: ['PERSONAL_INJURY'],
        injuryDetails: { description: canary, medicallyTreated: true },
        evidence: [
          {
            kind: 'MEDICAL_RECORD',
            description: 'ER report',
            contentHash: `sha256:${'c'.repeat(64)}`,
            uri: 'https://files.example.com/er.pdf',
          },
        ],
      }),
    });
    const oneClaim = raw(await socketFor(Role.AGENT, 'agent-one'), { claimId: fileClaim.claim!.id });
    await sleep(100);
    await t.runJobs();
    await until(
      () => seller.payloads.length >= 3 && insurer.payloads.length >= 3 && claimant.payloads.length >= 3,
      'the routed claim',
    );
    await sleep(200);

    for (const stream of [seller, insurer]) {
      expect(
        stream.payloads.every((payload) => !payload.includes(canary) && !payload.includes('MEDICAL_RECORD')),
      ).toBe(true);
      expect(stream.payloads[0]).toContain('"injuryDetails":null');
    }
    expect(claimant.payloads.some((payload) => payload.includes(canary))).toBe(true);
    expect(otherInsurer.payloads).toEqual([]);
    expect(expert.payloads).toEqual([]);
    expect(oneClaim.payloads.length).toBeGreaterThan(0);
    expect(oneClaim.payloads.every((payload) => payload.includes(fileClaim.claim!.id))).toBe(true);
    for (const stream of [seller, insurer, otherInsurer, expert, claimant, oneClaim]) stream.stop();
  });

  it('a subscription closed while idle leaves the feed at once, without waiting for an event', async () => {
    const feed = (t.server.services.claimEvents as unknown as { feed: { subscriberCount: number } }).feed;
    // Earlier tests' subscriptions may still be leaving: wait until the count holds still.
    let before = -1;
    await until(async () => {
      const now = feed.subscriberCount;
      await sleep(200);
      const settled = now === feed.subscriberCount;
      before = feed.subscriberCount;
      return settled;
    }, 'the feed to settle');
    const client = await socketFor(Role.AGENT, 'agent-idle');
    const stream = collect(client, STATUS_CHANGED);
    await until(() => feed.subscriberCount === before + 1, 'the subscription to join the feed');
    stream.stop();
    await until(() => feed.subscriberCount === before, 'the subscription to leave the feed');
    await client.dispose();
  });

  it('refuses claimEvents to a customer, seller or fraud expert with FORBIDDEN, ending that operation only', async () => {
    for (const [role, subject] of [
      [Role.CUSTOMER, 'cust-a'],
      [Role.SELLER, 'sell-a'],
      [Role.FRAUD_EXPERT, 'expert-1'],
    ] as const) {
      const client = await socketFor(role, subject);
      const live = collect(client, STATUS_CHANGED);
      const refused = raw(client, CLAIM_EVENTS, { after: '0' });
      await until(() => refused.results.length > 0 || refused.errors.length > 0, 'the refusal');
      expect(refused.errors).toEqual([]);
      expect(refused.results.map((result) => result.errors?.map((error) => error.extensions?.code))).toEqual([
        ['FORBIDDEN'],
      ]);
      await until(() => refused.completed, 'the refused operation to end');
      // The socket is still open: the other subscription goes on, and a new operation is answered.
      const { viewer } = await firstResult<{ viewer: { role: string } }>(client, '{ viewer { role } }');
      expect(viewer.role).toBe(role);
      expect(live.errors).toEqual([]);
      live.stop();
    }
  });
});

/** Subscribes and keeps every result as it came, errors included, and whether the operation ended. */
function raw(client: Client, query: string, variables: Record<string, unknown> = {}) {
  const results: { data?: unknown; errors?: { extensions?: { code?: string } }[] }[] = [];
  const errors: unknown[] = [];
  const state = { results, errors, completed: false };
  client.subscribe(
    { query, variables },
    {
      next: (result) => results.push(result as (typeof results)[number]),
      error: (error) => errors.push(error),
      complete: () => {
        state.completed = true;
      },
    },
  );
  return state;
}

/** The data of a query sent over the socket. */
async function firstResult<T>(client: Client, query: string): Promise<T> {
  for await (const result of client.iterate<T>({ query })) {
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return result.data!;
  }
  throw new Error('no result');
}

describe('the event feed with nobody listening', () => {
  const feed = () => (t.server.services.claimEvents as unknown as { feed: { subscriberCount: number } }).feed;

  async function quiet(): Promise<void> {
    await until(() => feed().subscriberCount === 0, 'every earlier subscription to leave the feed');
  }

  /** Statements while a claim is filed and its wake-up has long been handled. */
  async function statementsOfOneFiling(orderRef: string): Promise<number> {
    const customer = await t.as(Role.CUSTOMER, 'cust-a');
    const orderId = await newOrder(orderRef);
    return t.countStatements(async () => {
      await customer.data(FileClaimDocument, { input: claimInput(orderId) });
      await sleep(150);
    });
  }

  it('reads nothing after a commit while no subscription is attached', async () => {
    await quiet();
    const unheard = await statementsOfOneFiling('ord-feed-unheard');
    const client = await socketFor(Role.AGENT, 'agent-listening');
    const stream = collect(client, STATUS_CHANGED);
    await until(() => feed().subscriberCount === 1, 'the subscription to join the feed');
    const heard = await statementsOfOneFiling('ord-feed-heard');
    // The same filing; with a listener the feed reads the new event (and its claim's parties).
    expect(heard).toBeGreaterThan(unheard);
    stream.stop();
    await client.dispose();
  });

  it('after a quiet spell, subscriptions joining at the same moment all start after the latest event', async () => {
    await quiet();
    const customer = await t.as(Role.CUSTOMER, 'cust-a');
    await customer.data(FileClaimDocument, { input: claimInput(await newOrder('ord-feed-quiet-join')) });
    const latest = (await committedPositions()).at(-1)!;
    const joining = feed() as unknown as {
      join(listener: () => void): Promise<{ head: string; leave: () => void }>;
    };
    const joined = await Promise.all(Array.from({ length: 5 }, () => joining.join(() => undefined)));
    expect(joined.map(({ head }) => head)).toEqual(Array(5).fill(latest));
    for (const { leave } of joined) leave();
  });

  it('after a quiet spell, a live subscription gets what is committed after it joins, and a cursor still replays everything', async () => {
    await quiet();
    const before = (await committedPositions()).at(-1)!;
    const customer = await t.as(Role.CUSTOMER, 'cust-a');
    // Committed while nobody listens.
    for (const ref of ['ord-feed-quiet-1', 'ord-feed-quiet-2']) {
      await customer.data(FileClaimDocument, { input: claimInput(await newOrder(ref)) });
    }
    const quietPositions = (await committedPositions()).filter(
      (position) => BigInt(position) > BigInt(before),
    );
    expect(quietPositions.length).toBeGreaterThan(0);

    // Several join at once (one socket, so the server takes them together): every live one starts
    // after the quiet spell.
    const liveClient = await socketFor(Role.AGENT, 'agent-live-after-quiet');
    const lives = Array.from({ length: 8 }, () => collect(liveClient, CLAIM_EVENTS));
    const replay = collect(await socketFor(Role.AGENT, 'agent-replay-after-quiet'), CLAIM_EVENTS, {
      after: before,
    });
    await until(() => feed().subscriberCount === lives.length + 1, 'the subscriptions to join the feed');
    await customer.data(FileClaimDocument, { input: claimInput(await newOrder('ord-feed-after-quiet')) });
    const all = (await committedPositions()).filter((position) => BigInt(position) > BigInt(before));
    const afterJoining = all.filter((position) => !quietPositions.includes(position));

    await until(
      () =>
        lives.every((live) => live.received.length >= afterJoining.length) &&
        replay.received.length >= all.length,
      'the events',
    );
    await sleep(200);
    for (const live of lives) {
      expect(live.errors).toEqual([]);
      expect(live.received.map((message) => message.cursor)).toEqual(afterJoining);
    }
    expect(replay.received.map((message) => message.cursor)).toEqual(all);
    for (const stream of [...lives, replay]) stream.stop();
  });
});
