import { Entity, Enum, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Role } from '../auth/role';
import type { NotificationCategory } from './notification-category';

/** Which categories a principal does not want by email (every category is emailed by default). */
@Entity({ tableName: 'notification_preference' })
@Unique({ properties: ['role', 'subject'] })
export class NotificationPreference {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Enum({ items: () => Role, type: 'string', length: 20 })
  role!: Role;

  @Property({ type: 'string', length: 100 })
  subject!: string;

  @Property({ type: 'json' })
  emailMuted!: NotificationCategory[];

  @Property({ type: 'datetime' })
  updatedAt!: Date;
}
