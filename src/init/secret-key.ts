import { isSecretKey as isSecret } from '../util/secret-keys.js';

/** init's loose reading of the one pattern: a key it calls secret only moves to .env. */
export const isSecretKey = (k: string): boolean => isSecret(k, { strict: false });
