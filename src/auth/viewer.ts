import type { Role } from './role';

/** The authenticated caller: its role and its marketplace identifier (`sub`). */
export interface Viewer {
  role: Role;
  subject: string;
}

/** The outcome of reading a request's credentials. */
export type Authentication =
  | { viewer: Viewer; failure?: undefined }
  /** `failure` is set when a token was presented but refused; absent for an anonymous call. */
  | { viewer: null; failure?: string };
