/** The outbox's public face for other modules: write an email in a transaction, read the town's outbox. */
export {
  enqueueEmail,
  getOutboxMessage,
  listOutbox,
  type EmailMessage,
  type OutboxMessage,
  type OutboxPage,
  type OutboxStatus,
  type OutboxSummary,
} from './service.ts';
