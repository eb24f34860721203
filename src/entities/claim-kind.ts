/** What a claim is for; a claim covers one kind or both. */
export enum ClaimKind {
  PROPERTY_DAMAGE = 'PROPERTY_DAMAGE',
  PERSONAL_INJURY = 'PERSONAL_INJURY',
}
