/**
 * Payments behind one interface, shared by every module that charges a fee (bookings, and next the
 * applications' fees). A module starts a payment for an amount and a purpose (what is being paid
 * for), staff mark a payment made at the counter as paid, and a paid amount can be refunded.
 *
 * Built in: "pay at the counter or by invoice", so a flow is complete without a card processor:
 * the purchase goes through with the amount due, staff mark it paid when the money comes in, and
 * a refund is handed back at the counter (or credited on the invoice) and recorded as made.
 *
 * A card processor would implement the same interface: `start` returns where to send the person
 * (and the purpose is confirmed on the processor's callback), `refund` asks the processor. Every
 * method here is called inside the caller's transaction, so a provider never makes network calls
 * from it: a processor would record its request and let a job (outbox) talk to the outside.
 *
 * The payment's state (due, paid, refunded) is kept by the module that owns the purpose, beside
 * it (a booking's payment_status); this interface says what each step turns it into.
 */

export type PaymentMethod = 'counter';

/** What is being paid for: the owning module's record, e.g. { kind: 'booking', id }. */
export interface PaymentPurpose {
  kind: string;
  id: string;
}

export interface PaymentRequest {
  tenantId: string;
  amountCents: number;
  purpose: PaymentPurpose;
}

/** What happens to the purchase once the person confirms it. */
export type PaymentOutcome =
  /** Goes through now; the amount is due at the counter or on the invoice. */
  | { kind: 'due'; method: PaymentMethod }
  /** Goes through when the processor says it is paid (no such provider is built yet). */
  | { kind: 'redirect'; method: PaymentMethod; url: string };

/** A refund's outcome: made now (money handed back or credited), or asked of a processor. */
export type RefundOutcome = { kind: 'refunded'; method: PaymentMethod } | { kind: 'pending'; method: PaymentMethod };

/** Who received the money (staff marking a counter payment). */
export interface PaidRequest extends PaymentRequest {
  /** The staff member's id. */
  receivedBy: string;
}

export interface PaymentProvider {
  readonly method: PaymentMethod;
  /** Starts a payment. Called inside the purchase's transaction: no network calls. */
  start(request: PaymentRequest): PaymentOutcome;
  /** Whether staff record payments of this method by hand (at the counter, on an invoice). */
  readonly staffMarksPaid: boolean;
  /** Records that staff received the amount; throws when the method is not paid by hand. */
  markPaid(request: PaidRequest): { kind: 'paid'; method: PaymentMethod };
  /** Refunds a paid amount (or a part of it). Called inside the caller's transaction. */
  refund(request: PaymentRequest): RefundOutcome;
}

/** Pay at the counter or by invoice: nothing to call; staff mark it paid and hand refunds back. */
export const counterPayment: PaymentProvider = {
  method: 'counter',
  staffMarksPaid: true,
  start: () => ({ kind: 'due', method: 'counter' }),
  markPaid: () => ({ kind: 'paid', method: 'counter' }),
  refund: (request) => {
    if (!Number.isInteger(request.amountCents) || request.amountCents <= 0) throw new RangeError('a refund is a positive amount of cents');
    return { kind: 'refunded', method: 'counter' };
  },
};

const providers = new Map<PaymentMethod, PaymentProvider>([[counterPayment.method, counterPayment]]);

/** The payment methods a person can choose from, in the order shown. */
export function paymentMethods(): PaymentMethod[] {
  return [...providers.keys()];
}

export function paymentProvider(method: string): PaymentProvider | undefined {
  return providers.get(method as PaymentMethod);
}
