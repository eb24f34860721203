import { Inbox } from './inbox.type';
import { NotificationPreferences } from './notification-preferences.type';
import { PayloadType } from './payload.type';

export const MarkNotificationsReadPayload = PayloadType('MarkNotificationsReadPayload', 'inbox', () => Inbox);
export const UpdateNotificationPreferencesPayload = PayloadType(
  'UpdateNotificationPreferencesPayload',
  'preferences',
  () => NotificationPreferences,
);
