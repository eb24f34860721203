import { Field, ID, InputType } from 'type-graphql';
import { NotificationCategory } from '../entities/notification-category';

@InputType()
export class MarkNotificationsReadInput {
  @Field(() => [ID], { nullable: true, description: "Notifications of the caller's inbox; up to 100." })
  ids?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Mark every notification of the inbox read.' })
  all?: boolean | null;
}

@InputType()
export class UpdateNotificationPreferencesInput {
  @Field(() => [NotificationCategory], {
    description: 'The categories not to email the caller; every other category is emailed.',
  })
  emailMuted!: NotificationCategory[];
}
