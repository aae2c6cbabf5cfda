/**
 * The payment step behind one interface. Built in: "pay at the counter or by invoice", so the
 * flow is complete without a card processor: the booking is confirmed with the payment due, and
 * staff mark it paid. A card processor would implement the same interface (start a payment,
 * return where to send the person, confirm on its callback).
 */

export type PaymentMethod = 'counter';

export interface PaymentRequest {
  bookingId: string;
  tenantId: string;
  amountCents: number;
}

/** What happens to a paid booking once the resident confirms it. */
export type PaymentOutcome =
  /** Confirmed now; the amount is due at the counter or on the invoice. */
  | { kind: 'due'; method: PaymentMethod }
  /** Confirmed when the processor says it is paid (not built yet). */
  | { kind: 'redirect'; method: PaymentMethod; url: string };

export interface PaymentProvider {
  readonly method: PaymentMethod;
  /** Starts the payment of a booking. Called inside the confirmation's transaction: no network calls. */
  start(request: PaymentRequest): PaymentOutcome;
}

/** Pay at the counter or by invoice: nothing to call, the amount is due. */
export const counterPayment: PaymentProvider = {
  method: 'counter',
  start: () => ({ kind: 'due', method: 'counter' }),
};

const providers = new Map<PaymentMethod, PaymentProvider>([[counterPayment.method, counterPayment]]);

/** The payment methods a resident can choose from, in the order shown. */
export function paymentMethods(): PaymentMethod[] {
  return [...providers.keys()];
}

export function paymentProvider(method: string): PaymentProvider | undefined {
  return providers.get(method as PaymentMethod);
}
