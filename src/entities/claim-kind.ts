/** What a claim is for; a claim covers one kind or both. */
export enum ClaimKind {
  PROPERTY_DAMAGE = 'PROPERTY_DAMAGE',
  PERSONAL_INJURY = 'PERSONAL_INJURY',
}

/** The kinds a claim covers, in a fixed order. */
export function kindsOf(claim: {
  coversPropertyDamage: boolean;
  coversPersonalInjury: boolean;
}): ClaimKind[] {
  return [
    ...(claim.coversPropertyDamage ? [ClaimKind.PROPERTY_DAMAGE] : []),
    ...(claim.coversPersonalInjury ? [ClaimKind.PERSONAL_INJURY] : []),
  ];
}
