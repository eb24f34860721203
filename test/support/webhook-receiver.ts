import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One request a receiver got, as a receiver would see it. */
export interface ReceivedWebhook {
  headers: Record<string, string>;
  body: string;
  /** The webhook-id header. */
  id: string;
  /** The body's `type`. */
  type: string;
  data: Record<string, unknown>;
}

/** How the receiver answers a request: a status (and body or headers), or never (it holds it open). */
export type Answer = { status: number; body?: string; headers?: Record<string, string> } | 'hang';

/**
 * A webhook receiver on loopback (node:http), as a party's system would run one: it records every
 * request (also those it never answers) and answers as the test says, by default 200.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  /** Requests being handled now, and the most at once. */
  inFlight = 0;
  maxInFlight = 0;
  private answer: (request: ReceivedWebhook) => Answer | Promise<Answer> = () => ({ status: 200 });
  private readonly hanging = new Set<http.ServerResponse>();

  private constructor(private readonly server: http.Server) {}

  static async start(): Promise<WebhookReceiver> {
    let receiver!: WebhookReceiver;
    const server = http.createServer((request, response) => void receiver.handle(request, response));
    receiver = new WebhookReceiver(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The receiver's URL on 127.0.0.1, with `path`. */
  url(path = '/hooks'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** From now on, answers every request with `answer`. */
  answerWith(answer: Answer | ((request: ReceivedWebhook) => Answer | Promise<Answer>)): void {
    this.answer = typeof answer === 'function' ? answer : () => answer;
  }

  /** The webhook-ids received, in order of arrival. */
  ids(): string[] {
    return this.received.map((request) => request.id);
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const headers = Object.fromEntries(
      Object.entries(request.headers).map(([name, value]) => [name, String(value)]),
    );
    let parsed: { type?: string; data?: Record<string, unknown> } = {};
    try {
      parsed = JSON.parse(body);
    } catch {
      // Kept as received; the test looks at `body`.
    }
    const received: ReceivedWebhook = {
      headers,
      body,
      id: headers['webhook-id'] ?? '',
      type: parsed.type ?? '',
      data: parsed.data ?? {},
    };
    this.received.push(received);
    const answer = await this.answer(received);
    if (answer === 'hang') {
      this.hanging.add(response);
      response.on('close', () => {
        this.hanging.delete(response);
        this.inFlight -= 1;
      });
      return;
    }
    response.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
    response.end(answer.body ?? 'ok');
    this.inFlight -= 1;
  }

  async stop(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Verifies a received request with `standardwebhooks`, as a receiver holding `secret` would; throws when it fails. */
export function verifyWith(secret: string, request: ReceivedWebhook): unknown {
  return new Webhook(secret).verify(request.body, request.headers);
}
