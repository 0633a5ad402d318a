// The registry's domain errors live on the ground floor (src/errors.ts), since governance throws them too; the
// registry's files import them from here.
export { errors, RegistryError, type RegistryErrorKind } from '../errors.js';
