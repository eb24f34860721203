import { Field, ObjectType } from 'type-graphql';
import { NotificationCategory } from '../entities/notification-category';

@ObjectType({ description: 'Which notifications the caller receives by email; the inbox keeps all of them.' })
export class NotificationPreferences {
  @Field(() => [NotificationCategory], { description: 'Categories not emailed to the caller.' })
  emailMuted!: NotificationCategory[];

  @Field(() => Boolean, {
    description:
      'Whether this server sends emails at all (a mail server is configured) and has an address for the caller.',
  })
  emailEnabled!: boolean;
}
