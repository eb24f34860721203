import { Migration } from '@mikro-orm/migrations';

export class Migration20261208002639_EventViewsAndAudienceTexts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "claim_event" drop constraint if exists "claim_event_type_check";`);

    this.addSql(`alter table "claim" add column "released_from_sequence" int null;`);

    this.addSql(
      `alter table "fraud_review" add column "assigned_from_sequence" int null, add column "assigned_until_sequence" int null;`,
    );

    this.addSql(
      `alter table "claim_event" add column "customer_message" text null, add column "seller_side_message" text null;`,
    );
    this.addSql(
      `alter table "claim_event" add constraint "claim_event_type_check" check("type" in ('CLAIM_FILED', 'EVIDENCE_ADDED', 'STATUS_CHANGED', 'EXPERT_ASSIGNED', 'SELLER_NOTIFIED', 'INSURER_NOTIFIED', 'RESPONSE_REMINDER', 'PAYOUT_PROMISED', 'PAYOUT_COMPLETED', 'RECOVERY_OPENED', 'RECOVERY_CANCELLED', 'RECOVERY_COLLECTED', 'DEFENCE_SUBMITTED', 'DEFENCE_DECIDED'));`,
    );

    // The positions that open and close views, derived from the events already written: the
    // release is the status change into the seller side's first status; an expert held its review
    // from its pick to its finding (or the withdrawal).
    this.addSql(
      `update "claim" c set "released_from_sequence" = (select min(e."sequence") from "claim_event" e where e."claim_id" = c."id" and e."type" = 'STATUS_CHANGED' and e."to_status" in ('APPROVED_CONCESSION', 'AWAITING_SELLER')) where c."released_to_seller_at" is not null;`,
    );
    this.addSql(
      `update "fraud_review" r set "assigned_from_sequence" = (select coalesce(max(e."sequence"), 0) + 1 from "claim_event" e where e."claim_id" = r."claim_id" and e."occurred_at" < r."assigned_at") where r."assigned_at" is not null;`,
    );
    this.addSql(
      `update "fraud_review" r set "assigned_until_sequence" = (select max(e."sequence") from "claim_event" e where e."claim_id" = r."claim_id" and e."occurred_at" <= coalesce(r."decided_at", (select min(w."occurred_at") from "claim_event" w where w."claim_id" = r."claim_id" and w."to_status" = 'WITHDRAWN'))) where r."assigned_at" is not null and r."status" in ('DECIDED', 'CANCELLED');`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "claim_event" drop constraint if exists "claim_event_type_check";`);
    this.addSql(`delete from "claim_event" where "type" = 'EXPERT_ASSIGNED';`);

    this.addSql(`alter table "claim" drop column "released_from_sequence";`);

    this.addSql(
      `alter table "claim_event" drop column "customer_message", drop column "seller_side_message";`,
    );

    this.addSql(
      `alter table "claim_event" add constraint "claim_event_type_check" check("type" in ('CLAIM_FILED', 'EVIDENCE_ADDED', 'STATUS_CHANGED', 'SELLER_NOTIFIED', 'INSURER_NOTIFIED', 'RESPONSE_REMINDER', 'PAYOUT_PROMISED', 'PAYOUT_COMPLETED', 'RECOVERY_OPENED', 'RECOVERY_CANCELLED', 'RECOVERY_COLLECTED', 'DEFENCE_SUBMITTED', 'DEFENCE_DECIDED'));`,
    );

    this.addSql(
      `alter table "fraud_review" drop column "assigned_from_sequence", drop column "assigned_until_sequence";`,
    );
  }
}
