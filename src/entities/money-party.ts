/** Who pays a customer, or owes the marketplace. */
export enum PayerParty {
  MARKETPLACE = 'MARKETPLACE',
  SELLER = 'SELLER',
  INSURER = 'INSURER',
}
