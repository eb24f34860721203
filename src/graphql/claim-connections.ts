import { Claim } from '../entities/claim.entity';
import { ConnectionType } from './connection.type';

export const ClaimConnection = ConnectionType(Claim, 'Claim', 'claims');
export type ClaimConnection = InstanceType<typeof ClaimConnection>;
