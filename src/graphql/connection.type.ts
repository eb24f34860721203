import { type ClassType, Field, Int, ObjectType } from 'type-graphql';
import type { KeysetPage } from '../services/common/keyset-pagination';
import { PageInfo } from './page-info.type';

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
  totalCount(): Promise<number>;
}

/**
 * A Relay connection type over a keyset page, e.g. `Connection(Claim, 'Claim', 'claims')` for
 * `ClaimConnection` and `ClaimEdge`. The total is counted only when asked for.
 */
export function ConnectionType<T extends object>(nodeType: ClassType<T>, name: string, plural: string) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field(() => String)
    cursor!: string;

    @Field(() => nodeType)
    node!: T;
  }

  @ObjectType(`${name}Connection`, {
    description: `A page of ${plural}. \`totalCount\` counts all matches, not only this page.`,
  })
  class PageConnection implements Connection<T> {
    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    page!: KeysetPage<T>;

    @Field(() => Int, { description: `All ${plural} matching the filter, across every page.` })
    totalCount(): Promise<number> {
      return this.page.count();
    }

    static of(page: KeysetPage<T>): PageConnection {
      const edges = page.items.map((node) => ({ cursor: page.cursorOf(node), node }));
      return Object.assign(new PageConnection(), {
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
  return PageConnection;
}
