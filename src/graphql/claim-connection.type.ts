import { Field, ObjectType } from 'type-graphql';
import { Claim } from '../entities/claim.entity';
import type { KeysetPage } from '../services/keyset-pagination';
import { PageInfo } from './page-info.type';

@ObjectType()
export class ClaimEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => Claim)
  node!: Claim;
}

@ObjectType({ description: 'A page of claims. `totalCount` counts all matches, not only this page.' })
export class ClaimConnection {
  @Field(() => [ClaimEdge])
  edges!: ClaimEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  /** Resolved by the connection resolver, so the count query runs only when asked for. */
  page!: KeysetPage<Claim>;

  static of(page: KeysetPage<Claim>): ClaimConnection {
    const edges = page.items.map((node) => ({ cursor: page.cursorOf(node), node }));
    return Object.assign(new ClaimConnection(), {
      edges,
      pageInfo: {
        hasNextPage: page.hasNextPage,
        hasPreviousPage: page.hasPreviousPage,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
      page,
    });
  }
}
