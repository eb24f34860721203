import { Field, ObjectType } from 'type-graphql';

@ObjectType('RatingFactor', {
  description: 'One factor of a built-in rating model: the premium is their product.',
})
export class RatingFactorType {
  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'The multiplier, or the base amount for the base premium.' })
  factor!: string;

  @Field(() => String)
  reason!: string;
}
