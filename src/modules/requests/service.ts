/**
 * Service requests (311): the module's public face. Other modules, the routes and the Open311 API
 * call these functions (never the repo). Capabilities live in their own files:
 * catalogue.ts (types, questions, the town's area), report.ts (file, find duplicates, follow),
 * tracking.ts (private link, account), lifecycle.ts (status, replies, closure, reopening).
 */
export { fold, getRequestType, getTownArea, listAllRequestTypes, listRequestTypes, searchTypes } from './catalogue.ts';
export {
  ADDRESS_MAX,
  checkReport,
  DESCRIPTION_MAX,
  findNearbyOpen,
  findSimilarOpen,
  followRequest,
  IDEMPOTENCY_KEY,
  MAX_PHOTOS,
  NEARBY_METRES,
  newIdempotencyKey,
  submitRequest,
  type FollowResult,
  type Follower,
  type ReportContact,
  type ReportError,
  type ReportField,
  type ReportInput,
  type ReportResult,
  type SubmittedRequest,
} from './report.ts';
export { getPublicPhoto, listMyRequests, REOPEN_DAYS, trackByLink, trackMine } from './tracking.ts';
export { addPublicReply, changeStatus, closeWithNote, NOTE_MAX, reopenByResident, type LifecycleError, type LifecycleResult, type ReopenAs } from './lifecycle.ts';
export { checkAnswers, type AnswerError, type RawAnswers } from './answers.ts';
export { distanceMetres, insideArea } from './geo.ts';
export { expectation } from './expected.ts';
export { accountPath, trackingPath } from './mail.ts';
export * from './types.ts';
export { defineRequestType, setTownArea, type QuestionDefinition, type TypeDefinition } from './setup.ts';
