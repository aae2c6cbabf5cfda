/**
 * Open311 (GeoReport v2): the API lives in routes.ts; this is the module's face for others — its
 * API keys (the administration screen and the command line use them).
 */
export { authenticateApiKey, createApiKey, KEY_NAME_MAX, listApiKeys, operatorKeys, revokeApiKey, type ApiKeyInfo, type CreatedKey, type KeysCaller } from './keys.ts';
