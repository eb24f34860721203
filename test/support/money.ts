/** A Money input or value in US dollars; `amount` is the decimal string the API takes and prints. */
export function usd(amount: string): { amount: string; currencyCode: string } {
  return { amount, currencyCode: 'USD' };
}
