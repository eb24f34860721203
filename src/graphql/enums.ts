import { registerEnumType } from 'type-graphql';
import { Role } from '../auth/role';
import { ActorRole, ClaimEventType } from '../entities/claim-event-type';
import { ClaimKind } from '../entities/claim-kind';
import { ClaimStatus } from '../entities/claim-status';
import { EvidenceKind } from '../entities/evidence-kind';
import { ClaimSortField } from '../services/claim-query.service';
import { ClaimParty } from '../services/next-step';

registerEnumType(Role, { name: 'Role', description: 'The kind of principal a token names.' });
registerEnumType(ClaimStatus, { name: 'ClaimStatus' });
registerEnumType(ClaimKind, { name: 'ClaimKind' });
registerEnumType(ClaimEventType, { name: 'ClaimEventType' });
registerEnumType(ActorRole, { name: 'ActorRole', description: 'Who acted: a role, or SYSTEM for automatic steps.' });
registerEnumType(EvidenceKind, { name: 'EvidenceKind' });
registerEnumType(ClaimParty, { name: 'ClaimParty', description: 'A party whose move it can be.' });
registerEnumType(ClaimSortField, { name: 'ClaimSortField' });

export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(SortDirection, { name: 'SortDirection' });
