import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_PRINCIPALS } from '../src/db/demo-data';
import { Customer } from '../src/entities/customer.entity';
import { Order } from '../src/entities/order.entity';
import { launch } from '../src/main';
import { FileClaimDocument, ViewerDocument } from './__generated__/graphql';
import { claimInput } from './support/fixtures';
import { GraphQLClient } from './support/graphql-client';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'claimgraph-launch-'));
const env = {
  NODE_ENV: 'development',
  PORT: '0',
  LOG_LEVEL: 'silent',
  SQLITE_PATH: path.join(dir, 'data', 'claimgraph.sqlite'),
};

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** What `npm start` does on a fresh clone: the embedded database, demo data, one token per role. */
describe('launch on the embedded database', () => {
  it('creates and migrates the SQLite file, loads demo data once, and prints the URL and a working token per role', async () => {
    const lines: string[] = [];
    const first = await launch(env, { write: (line) => lines.push(line) });
    try {
      expect(fs.existsSync(env.SQLITE_PATH)).toBe(true);
      expect(lines[0]).toBe(
        `claimgraph is listening on ${first.server.url} (HTTP and WebSocket) — SQLite (${env.SQLITE_PATH})`,
      );
      expect(lines).toContain('Demo data loaded.');
      // Without a mail server the inbox works alone, and the start says so.
      expect(lines).toContain('Email: off (SMTP_URL is not set); notifications go to inboxes only.');
      const em = first.orm.em.fork();
      expect(await em.count(Customer)).toBe(3);
      expect(await em.count(Order)).toBe(6);

      for (const [role, subject] of Object.entries(DEMO_PRINCIPALS)) {
        const line = lines.find((text) => text.trimStart().startsWith(`${role} `));
        const token = line?.trim().split(/\s+/).at(-1);
        const { viewer } = await new GraphQLClient(first.server.url, token).data(ViewerDocument);
        expect(viewer).toEqual({ role, subject });
      }

      const customerLine = lines.find((text) => text.trimStart().startsWith('CUSTOMER '))!;
      const orderId = lines
        .find((text) => text.includes('Demo order'))!
        .split(': ')
        .at(-1)!;
      const customer = new GraphQLClient(first.server.url, customerLine.trim().split(/\s+/).at(-1));
      const { fileClaim } = await customer.data(FileClaimDocument, {
        input: claimInput(orderId, { incidentDate: new Date().toISOString().slice(0, 10) }),
      });
      expect(fileClaim.userErrors).toEqual([]);
      expect(fileClaim.claim?.status).toBe('SUBMITTED');
    } finally {
      await first.shutdown();
    }

    const again: string[] = [];
    const second = await launch(env, { write: (line) => again.push(line) });
    try {
      expect(again).toContain('Demo data already present.');
      expect(await second.orm.em.fork().count(Customer)).toBe(3);
    } finally {
      await second.shutdown();
    }
  });

  it('prints no tokens in production and refuses to start without a signing key there', async () => {
    await expect(launch({ ...env, NODE_ENV: 'production' }, { write: () => undefined })).rejects.toThrow(
      /AUTH_JWT_SECRET or AUTH_JWKS_URL/,
    );
    const lines: string[] = [];
    const production = await launch(
      { ...env, NODE_ENV: 'production', HOST: '127.0.0.1', AUTH_JWT_SECRET: 'x'.repeat(40) },
      { write: (line) => lines.push(line) },
    );
    try {
      expect(lines.join('\n')).not.toMatch(/eyJ/);
    } finally {
      await production.shutdown();
    }
  });
});
