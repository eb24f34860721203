/** The kinds of principal a token can name (its `role` claim). */
export enum Role {
  CUSTOMER = 'CUSTOMER',
  SELLER = 'SELLER',
  INSURER = 'INSURER',
  AGENT = 'AGENT',
  FRAUD_EXPERT = 'FRAUD_EXPERT',
}

export const ROLES: readonly Role[] = Object.values(Role);
