import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: "The caller's inbox as it stands." })
export class Inbox {
  @Field(() => Int, { description: 'Notifications not marked read yet.' })
  unreadCount!: number;
}
