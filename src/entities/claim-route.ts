/** The two ways a screened claim goes. */
export enum ClaimRoute {
  /** Below the threshold: the marketplace pays the customer directly. */
  CONCESSION = 'CONCESSION',
  /** The seller (or its insurer) must answer by a deadline. */
  SELLER_RESPONSE = 'SELLER_RESPONSE',
}
