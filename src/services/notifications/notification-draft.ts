import type { Role } from '../../auth/role';
import type { NotificationCategory } from '../../entities/notification-category';

/** Who a notification is for: one principal, or (subject null) every principal of the role. */
export interface Recipient {
  role: Role;
  subject: string | null;
}

/** A notification before it is written: what to tell whom, and what it comes from. */
export interface NotificationDraft {
  recipient: Recipient;
  category: NotificationCategory;
  /** The claim it is about, if any (its database id). */
  claimId?: number | null;
  title: string;
  /** In words written for the recipient; never medical details. */
  body: string;
  /** What produced it, unique: producing it again must change nothing. */
  sourceKey: string;
}
