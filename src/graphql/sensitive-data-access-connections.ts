import { SensitiveDataAccess } from '../entities/sensitive-data-access.entity';
import { ConnectionType } from './connection.type';

export const SensitiveDataAccessConnection = ConnectionType(
  SensitiveDataAccess,
  'SensitiveDataAccess',
  'reads of medical information',
);
export type SensitiveDataAccessConnection = InstanceType<typeof SensitiveDataAccessConnection>;
