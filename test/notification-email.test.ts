import type { AddressInfo } from 'node:net';
import { type AddressObject, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../src/auth/role';
import { Notification as NotificationRow } from '../src/entities/notification.entity';
import { localIdOf } from '../src/graphql/global-id';
import type { ScreeningPolicy } from '../src/services/screening/screening-policy';
import {
  AddInsuranceProviderDocument,
  type AddInsuranceProviderInput,
  type EvidenceInput,
  FileClaimDocument,
  type FileClaimInput,
  RecordOrderDocument,
  RequestInsuranceQuotesDocument,
  RespondToClaimDocument,
  ReviewClaimDocument,
  SubmitProductDefenceDocument,
  UpdateSellerInsuranceProfileDocument,
  UpsertCustomerDocument,
  UpsertSellerDocument,
} from './__generated__/graphql';
import { claimInput, insureSeller, seedMarketplace } from './support/fixtures';
import type { GraphQLClient, GraphQLResponse } from './support/graphql-client';
import { usd } from './support/money';
import { containsCanary, PII_CANARY } from './support/pii-canary';
import { screeningPolicyFile } from './support/screening-policy';
import { startTestServer, type TestServer } from './support/test-server';
import { HOUR, MINUTE } from './support/time';
import { until } from './support/waiting';

/**
 * Notifications by email, through a real SMTP server on loopback: what is sent to whom, from
 * whom, with which subject and bodies; what is not (agents, muted categories, principals with no
 * address); and how a refused email is retried and finally given up. One claimgraph server and
 * one mail server for the file; each test makes its own parties, with addresses of their own.
 */

let t: TestServer;
let agent: GraphQLClient;
let smtp: SMTPServer;

const FROM = { name: 'Claims Desk', address: 'claims@marketplace.example' };
/** Attempts at one email before it is given up: small, so that a test reaches the end. */
const MAX_ATTEMPTS = 3;

interface Mail {
  /** The envelope's recipients, as the server was asked to deliver. */
  rcptTo: string[];
  from: AddressObject['value'];
  to: AddressObject['value'];
  subject: string | undefined;
  text: string | undefined;
  html: string;
  /** The id of the notification the email tells of (a header the sender adds). */
  notification: string;
}

/** Every email the server accepted, in order. */
const mails: Mail[] = [];
/** Addresses the server refuses for now, with a temporary failure (451). */
const refusing = new Set<string>();
/** Each refused attempt, by address. */
const refusals: string[] = [];

function addresses(value: AddressObject | AddressObject[] | undefined): AddressObject['value'] {
  if (!value) return [];
  return (Array.isArray(value) ? value : [value]).flatMap((item) => item.value);
}

/** Zero weights but the undelivered order's: claims here are routed at once, however many. */
function routingAtOnce(policy: ScreeningPolicy): void {
  const zero = (node: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'bands' && Array.isArray(value)) node[key] = [];
      else if (typeof value === 'number' && /weight$/i.test(key)) node[key] = 0;
      else if (typeof value === 'object' && value !== null) zero(value as Record<string, unknown>);
    }
  };
  zero(policy as unknown as Record<string, unknown>);
  policy.version = `${policy.version}+notification-email`;
}

beforeAll(async () => {
  smtp = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (refusing.has(address.address)) {
        refusals.push(address.address);
        callback(Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 }));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      void simpleParser(stream).then(
        (parsed) => {
          const header = parsed.headers.get('x-claimgraph-notification');
          mails.push({
            rcptTo: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            from: addresses(parsed.from),
            to: addresses(parsed.to),
            subject: parsed.subject,
            text: parsed.text,
            html: parsed.html || '',
            notification: typeof header === 'string' ? header : '',
          });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const { port } = smtp.server.address() as AddressInfo;
  t = await startTestServer({
    SMTP_URL: `smtp://127.0.0.1:${port}`,
    EMAIL_FROM: `${FROM.name} <${FROM.address}>`,
    EMAIL_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
    SCREENING_POLICY_FILE: screeningPolicyFile(routingAtOnce),
  });
  await seedMarketplace(t);
  agent = await t.agent();
});

afterAll(async () => {
  await t?.stop();
  await new Promise<void>((resolve) => (smtp ? smtp.close(resolve) : resolve()));
  // Medical information never reaches an email, in any test.
  for (const mail of mails) expect(containsCanary(JSON.stringify(mail)), mail.subject).toBe(false);
});

// ---------------------------------------------------------------------------------------------
// GraphQL

async function gql<T>(client: GraphQLClient, query: string, variables: Record<string, unknown> = {}) {
  const response: GraphQLResponse<T> = await client.post({ query, variables });
  if (response.errors?.length || !response.data) {
    throw new Error(`unexpected GraphQL errors: ${JSON.stringify(response.errors)}`);
  }
  return response.data;
}

interface Notification {
  id: string;
  category: string;
  title: string;
  body: string;
  emailStatus: string;
  emailSentAt: string | null;
  claim: { id: string } | null;
}

/** The whole inbox, newest first. */
async function inbox(client: GraphQLClient): Promise<Notification[]> {
  const { notifications } = await gql<{ notifications: { edges: { node: Notification }[] } }>(
    client,
    `{ notifications(first: 100) { edges { node { id category title body emailStatus emailSentAt claim { id } } } } }`,
  );
  return notifications.edges.map((edge) => edge.node);
}

const PREFERENCES = '{ notificationPreferences { emailMuted emailEnabled } }';

async function preferences(client: GraphQLClient) {
  return (
    await gql<{ notificationPreferences: { emailMuted: string[]; emailEnabled: boolean } }>(
      client,
      PREFERENCES,
    )
  ).notificationPreferences;
}

async function mute(client: GraphQLClient, emailMuted: string[]) {
  const { updateNotificationPreferences } = await gql<{
    updateNotificationPreferences: {
      preferences: { emailMuted: string[]; emailEnabled: boolean } | null;
      userErrors: unknown[];
    };
  }>(
    client,
    `mutation($input: UpdateNotificationPreferencesInput!) {
      updateNotificationPreferences(input: $input) { preferences { emailMuted emailEnabled } userErrors { code } }
    }`,
    { input: { emailMuted } },
  );
  expect(updateNotificationPreferences.userErrors).toEqual([]);
  return updateNotificationPreferences.preferences;
}

// ---------------------------------------------------------------------------------------------
// Parties, each with an address of its own

let serial = 0;

interface Party {
  ref: string;
  email: string;
  client: GraphQLClient;
}

async function newCustomer(): Promise<Party> {
  serial += 1;
  const ref = `cust-m${serial}`;
  const email = `${ref}@example.com`;
  const { upsertCustomer } = await agent.data(UpsertCustomerDocument, {
    input: { externalRef: ref, name: `Customer ${serial}`, email },
  });
  expect(upsertCustomer.userErrors).toEqual([]);
  return { ref, email, client: await t.as(Role.CUSTOMER, ref) };
}

async function newSeller(): Promise<Party> {
  serial += 1;
  const ref = `sell-m${serial}`;
  const email = `${ref}@example.com`;
  const { upsertSeller } = await agent.data(UpsertSellerDocument, {
    input: { externalRef: ref, name: `Seller ${serial}`, contactEmail: email },
  });
  expect(upsertSeller.userErrors).toEqual([]);
  return { ref, email, client: await t.as(Role.SELLER, ref) };
}

async function addProvider(input: Omit<AddInsuranceProviderInput, 'naicCode'>): Promise<void> {
  serial += 1;
  const { addInsuranceProvider } = await agent.data(AddInsuranceProviderDocument, {
    input: { naicCode: String(40000 + serial), ...input },
  });
  expect(addInsuranceProvider.userErrors).toEqual([]);
}

/** A partner insurer with a contact address (not in the vetted network: no quote requests), insuring `sellerRef`. */
async function insurerOf(sellerRef: string): Promise<Party> {
  const ref = `ins-m${serial + 1}`;
  const email = `claims-desk@${ref}.example`;
  await addProvider({
    externalRef: ref,
    name: `Insurer ${ref}`,
    financialRating: 'A',
    vetted: false,
    contactEmail: email,
  });
  await insureSeller(t, sellerRef, ref);
  return { ref, email, client: await t.as(Role.INSURER, ref) };
}

async function fileClaim(
  customer: Party,
  sellerRef: string,
  overrides: Partial<FileClaimInput> = {},
): Promise<string> {
  serial += 1;
  const { recordOrder } = await agent.data(RecordOrderDocument, {
    input: {
      externalRef: `ord-m${serial}`,
      customerRef: customer.ref,
      sellerRef,
      productRef: 'prod-heater',
      quantity: 1,
      price: usd('89.99'),
      purchasedAt: '2026-05-01T10:00:00.000Z',
      deliveredAt: '2026-05-04T15:00:00.000Z',
    },
  });
  expect(recordOrder.userErrors).toEqual([]);
  const { fileClaim } = await customer.client.data(FileClaimDocument, {
    input: claimInput(recordOrder.order!.id, overrides),
  });
  expect(fileClaim.userErrors).toEqual([]);
  return fileClaim.claim!.id;
}

function evidence(kind: EvidenceInput['kind'], description: string): EvidenceInput {
  serial += 1;
  return {
    kind,
    description,
    contentHash: `sha256:${'e'.repeat(56)}${serial.toString(16).padStart(8, '0')}`,
    uri: `https://files.example.com/email-${serial}.pdf`,
  };
}

let keys = 0;
function key(): string {
  keys += 1;
  return `notification-email-${process.pid}-${keys}`;
}

/** Makes notifications and sends the emails due; answers how many were sent. */
async function deliver(): Promise<number> {
  await t.runJobs();
  const { emailed } = await t.runNotifications();
  return emailed;
}

// ---------------------------------------------------------------------------------------------
// Emails

/** The HTML body as read: tags dropped, character references decoded. */
function textOfHtml(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

function mailsTo(address: string): Mail[] {
  return mails.filter((mail) => mail.rcptTo.includes(address));
}

/**
 * Checks that every notification of the principal's inbox was emailed once to `address`: subject
 * the title, the body in plain text and in HTML, from EMAIL_FROM; and that nothing else was.
 */
function expectEmailed(notifications: Notification[], address: string): void {
  const received = mailsTo(address);
  expect(received.map((mail) => mail.notification).sort()).toEqual(
    notifications.map((item) => String(localIdOf(item.id, 'Notification'))).sort(),
  );
  for (const item of notifications) {
    const mail = received.find((one) => one.notification === String(localIdOf(item.id, 'Notification')))!;
    expect(item.emailStatus).toBe('SENT');
    expect(mail.rcptTo).toEqual([address]);
    expect(mail.to).toEqual([{ address, name: '' }]);
    expect(mail.from).toEqual([FROM]);
    expect(mail.subject).toBe(item.title);
    // The body first, then a footer saying why the recipient gets it.
    expect(mail.text!.split('\n\n--\n')[0]).toBe(item.body);
    expect(mail.html).toMatch(/^<p>/);
    expect(textOfHtml(mail.html)).toContain(item.body);
  }
}

// =============================================================================================

describe('emails', () => {
  it('every notification of a customer, a seller and an insurer with an address is emailed to it, from EMAIL_FROM, with the title as subject and the body as text and HTML; agents get none; no email carries medical details', async () => {
    const before = mails.length;
    const customer = await newCustomer();
    const seller = await newSeller();
    const insurer = await insurerOf(seller.ref);
    const claimId = await fileClaim(customer, seller.ref, {
      kinds: ['PROPERTY_DAMAGE', 'PERSONAL_INJURY'],
      amountClaimed: usd('1500.00'),
      injuryDetails: {
        description: `${PII_CANARY} burns to the right hand`,
        medicallyTreated: true,
        treatmentDetails: `${PII_CANARY} dressed at the emergency room`,
      },
      evidence: [
        evidence('PHOTO', 'The heater'),
        evidence('MEDICAL_RECORD', `${PII_CANARY} discharge letter`),
      ],
    });
    await deliver();
    const { respondToClaim } = await seller.client.data(RespondToClaimDocument, {
      input: { claimId, response: 'REJECT', statement: "The heater passed every test; it's misuse." },
    });
    expect(respondToClaim.userErrors).toEqual([]);
    const { reviewClaim } = await agent.data(ReviewClaimDocument, {
      input: { claimId, decision: 'STEP_IN', reason: 'A defect.', idempotencyKey: key() },
    });
    expect(reviewClaim.userErrors).toEqual([]);
    const { submitProductDefence } = await seller.client.data(SubmitProductDefenceDocument, {
      input: { claimId, statement: 'A laboratory found no defect.' },
    });
    expect(submitProductDefence.userErrors).toEqual([]);
    const sentAt = t.clock.now().toISOString();
    await deliver();

    const parties = [
      { party: customer, told: await inbox(customer.client) },
      { party: seller, told: await inbox(seller.client) },
      { party: insurer, told: await inbox(insurer.client) },
    ];
    const expected = parties.reduce((sum, { told }) => sum + told.length, 0);
    await until(() => mails.length - before >= expected, `${expected} emails`);
    expect(parties.map(({ told }) => told.map((item) => item.category))).toEqual([
      ['PAYOUT', 'CLAIM_DECISION', 'CLAIM_DECISION', 'CLAIM_DECISION', 'CLAIM_RECEIVED'],
      ['RECOVERY', 'STEPPED_IN', 'CLAIM_NOTICE'],
      ['RECOVERY', 'STEPPED_IN', 'CLAIM_NOTICE'],
    ]);
    for (const { party, told } of parties) {
      expectEmailed(told, party.email);
      expect(told.map((item) => item.emailSentAt)).toEqual(told.map(() => sentAt));
    }
    // The agents' notifications (a review, then a defence, waiting) stay in their inbox.
    const agents = (await inbox(agent)).filter((item) => item.claim?.id === claimId);
    expect(agents.map((item) => [item.category, item.emailStatus, item.emailSentAt])).toEqual([
      ['DECISION_WAITING', 'NONE', null],
      ['REVIEW_WAITING', 'NONE', null],
    ]);
    expect(
      mails
        .slice(before)
        .flatMap((mail) => mail.rcptTo)
        .sort(),
    ).toEqual(parties.flatMap(({ party, told }) => told.map(() => party.email)).sort());
    // Sent once: a later run sends nothing again.
    expect(await deliver()).toBe(0);
    expect(mails.length - before).toBe(expected);
  });

  it('an insurer without a contact address is told in its inbox only', async () => {
    const customer = await newCustomer();
    const seller = await newSeller();
    serial += 1;
    const insurerRef = `ins-silent-${serial}`;
    await insureSeller(t, seller.ref, insurerRef);
    const insurer = await t.as(Role.INSURER, insurerRef);
    await fileClaim(customer, seller.ref, { amountClaimed: usd('1200.00') });
    await deliver();
    expect((await inbox(insurer)).map((item) => [item.category, item.emailStatus])).toEqual([
      ['CLAIM_NOTICE', 'NONE'],
    ]);
    expect(await preferences(insurer)).toEqual({ emailMuted: [], emailEnabled: false });
    const sellerTold = await inbox(seller.client);
    await until(() => mailsTo(seller.email).length >= 1, "the seller's email");
    expectEmailed(sellerTold, seller.email);
  });

  it('a partner insurer is emailed the quote requests it is asked', async () => {
    const partner = `ins-partner-m${serial + 1}`;
    const email = `quotes@${partner}.example`;
    await addProvider({
      externalRef: partner,
      name: 'Harbor Partner',
      financialRating: 'A',
      vetted: true,
      contactEmail: email,
    });
    const seller = await newSeller();
    const { updateSellerInsuranceProfile } = await seller.client.data(UpdateSellerInsuranceProfileDocument, {
      input: {
        productCategories: ['home'],
        annualRevenue: usd('750000.00'),
        unitsSold: 12_000,
        yearsInBusiness: 3,
      },
    });
    expect(updateSellerInsuranceProfile.userErrors).toEqual([]);
    const { requestInsuranceQuotes } = await seller.client.data(RequestInsuranceQuotesDocument, {
      input: { idempotencyKey: key() },
    });
    expect(requestInsuranceQuotes.userErrors).toEqual([]);
    expect(await deliver()).toBe(1);
    const told = await inbox(await t.as(Role.INSURER, partner));
    expect(told.map((item) => item.category)).toEqual(['QUOTE_REQUEST']);
    await until(() => mailsTo(email).length >= 1, 'the quote request email');
    expectEmailed(told, email);
    expect(await preferences(await t.as(Role.INSURER, partner))).toEqual({
      emailMuted: [],
      emailEnabled: true,
    });
  });
});

describe('preferences', () => {
  it('a muted category stays in the inbox and is not emailed; unmuted, it is emailed again', async () => {
    const customer = await newCustomer();
    const seller = await newSeller();
    expect(await preferences(customer.client)).toEqual({ emailMuted: [], emailEnabled: true });
    expect(await preferences(seller.client)).toEqual({ emailMuted: [], emailEnabled: true });
    expect(await preferences(agent)).toEqual({ emailMuted: [], emailEnabled: false });
    expect(await mute(customer.client, ['PAYOUT', 'CLAIM_DECISION', 'PAYOUT'])).toEqual({
      emailMuted: ['CLAIM_DECISION', 'PAYOUT'],
      emailEnabled: true,
    });
    expect(await preferences(customer.client)).toEqual({
      emailMuted: ['CLAIM_DECISION', 'PAYOUT'],
      emailEnabled: true,
    });
    // Another principal's preferences are its own.
    expect(await preferences(seller.client)).toEqual({ emailMuted: [], emailEnabled: true });

    await fileClaim(customer, seller.ref, { amountClaimed: usd('120.00') });
    await deliver();
    const muted = await inbox(customer.client);
    expect(muted.map((item) => [item.category, item.emailStatus, item.emailSentAt === null])).toEqual([
      ['PAYOUT', 'NONE', true],
      ['CLAIM_DECISION', 'NONE', true],
      ['CLAIM_RECEIVED', 'SENT', false],
    ]);
    await until(() => mailsTo(customer.email).length >= 1, 'the receipt');
    expectEmailed(muted.slice(2), customer.email);
    // The seller did not mute anything.
    await until(() => mailsTo(seller.email).length >= 2, "the seller's emails");
    expectEmailed(await inbox(seller.client), seller.email);

    expect(await mute(customer.client, [])).toEqual({ emailMuted: [], emailEnabled: true });
    await fileClaim(customer, seller.ref, { amountClaimed: usd('130.00') });
    await deliver();
    const all = await inbox(customer.client);
    const unmuted = all.slice(0, 3);
    expect(unmuted.map((item) => [item.category, item.emailStatus])).toEqual([
      ['PAYOUT', 'SENT'],
      ['CLAIM_DECISION', 'SENT'],
      ['CLAIM_RECEIVED', 'SENT'],
    ]);
    await until(() => mailsTo(customer.email).length >= 4, 'the second claim’s emails');
    expectEmailed([...unmuted, muted[2]], customer.email);
  });
});

describe('retries', () => {
  async function row(notificationId: string) {
    return t.orm.em.fork().findOneOrFail(NotificationRow, localIdOf(notificationId, 'Notification')!, {
      fields: ['emailStatus', 'emailAttempts', 'emailNextAttemptAt', 'emailSentAt'],
    });
  }

  async function emailOf(client: GraphQLClient) {
    const [only, ...more] = await inbox(client);
    expect(more).toEqual([]);
    return only;
  }

  it('an email the server refuses is tried again after growing pauses, and sent once the server takes it', async () => {
    const customer = await newCustomer();
    refusing.add(customer.email);
    const seller = await newSeller();
    await fileClaim(customer, seller.ref, { amountClaimed: usd('90.00') });
    const start = t.clock.now().getTime();
    // Only the receipt: the claim is not screened yet.
    expect(await t.runNotifications()).toEqual({ notified: 1, emailed: 0 });
    const receipt = await emailOf(customer.client);
    expect(receipt).toMatchObject({ category: 'CLAIM_RECEIVED', emailStatus: 'PENDING', emailSentAt: null });
    expect(refusals.filter((address) => address === customer.email)).toHaveLength(1);
    expect(await row(receipt.id)).toMatchObject({
      emailAttempts: 1,
      emailNextAttemptAt: new Date(start + MINUTE),
    });

    // Not due yet: nothing is tried.
    expect((await t.runNotifications()).emailed).toBe(0);
    t.clock.set(new Date(start + MINUTE - 1));
    expect((await t.runNotifications()).emailed).toBe(0);
    expect(refusals.filter((address) => address === customer.email)).toHaveLength(1);

    t.clock.set(new Date(start + MINUTE));
    expect((await t.runNotifications()).emailed).toBe(0);
    expect(refusals.filter((address) => address === customer.email)).toHaveLength(2);
    expect((await emailOf(customer.client)).emailStatus).toBe('PENDING');
    // The pause grows: two minutes after the second attempt.
    expect(await row(receipt.id)).toMatchObject({
      emailAttempts: 2,
      emailNextAttemptAt: new Date(start + 3 * MINUTE),
    });

    refusing.delete(customer.email);
    t.clock.set(new Date(start + 3 * MINUTE - 1));
    expect((await t.runNotifications()).emailed).toBe(0);
    expect(mailsTo(customer.email)).toEqual([]);
    t.clock.set(new Date(start + 3 * MINUTE));
    expect((await t.runNotifications()).emailed).toBe(1);
    await until(() => mailsTo(customer.email).length >= 1, 'the email');
    const sent = await emailOf(customer.client);
    expect(sent).toMatchObject({
      emailStatus: 'SENT',
      emailSentAt: new Date(start + 3 * MINUTE).toISOString(),
    });
    expectEmailed([sent], customer.email);
    expect(await row(receipt.id)).toMatchObject({ emailAttempts: 3, emailNextAttemptAt: null });
    expect((await t.runNotifications()).emailed).toBe(0);
    expect(mailsTo(customer.email)).toHaveLength(1);
  });

  it(`after ${MAX_ATTEMPTS} refused attempts the email is given up: FAILED, never tried again`, async () => {
    const customer = await newCustomer();
    refusing.add(customer.email);
    const seller = await newSeller();
    await fileClaim(customer, seller.ref, { amountClaimed: usd('95.00') });
    const start = t.clock.now().getTime();
    await t.runNotifications();
    const receipt = await emailOf(customer.client);
    t.clock.set(new Date(start + MINUTE));
    await t.runNotifications();
    expect((await emailOf(customer.client)).emailStatus).toBe('PENDING');
    t.clock.set(new Date(start + 3 * MINUTE));
    await t.runNotifications();
    expect(refusals.filter((address) => address === customer.email)).toHaveLength(MAX_ATTEMPTS);
    expect(await emailOf(customer.client)).toMatchObject({ emailStatus: 'FAILED', emailSentAt: null });
    expect(await row(receipt.id)).toMatchObject({ emailAttempts: MAX_ATTEMPTS, emailNextAttemptAt: null });

    // Given up: not tried again, even once the server would take it.
    refusing.delete(customer.email);
    t.clock.set(new Date(start + 6 * HOUR));
    expect((await t.runNotifications()).emailed).toBe(0);
    expect(refusals.filter((address) => address === customer.email)).toHaveLength(MAX_ATTEMPTS);
    expect(mailsTo(customer.email)).toEqual([]);
    expect((await emailOf(customer.client)).emailStatus).toBe('FAILED');
  });
});
