import { Notification } from '../entities/notification.entity';
import { ConnectionType } from './connection.type';

export const NotificationConnection = ConnectionType(Notification, 'Notification', 'notifications');
export type NotificationConnection = InstanceType<typeof NotificationConnection>;
